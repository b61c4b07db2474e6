/**
 * Diff of two plain texts for the revision view: a line-level diff (the block view), refined
 * into a word-level diff inside each changed stretch.
 *
 * Both levels map their tokens (lines, words) to small integers and run Jest's `diff-sequences`
 * (linear-space Myers) over them: much faster than jsdiff's `diffArrays` on large pads, which
 * needed a timeout and then gave up on the largest diffs (docs/benchmarks.md, History). Myers costs (N + M) x D, so very long changed middles still go to jsdiff
 * with its timeout, and word refinement stops after a total time budget.
 */
import { diffArrays } from 'diff';
import { createRequire } from 'node:module';
import type { DiffPartT as DiffPart } from '../../common/history-schemas.js';

type DiffOp = DiffPart['op'];

/** Longest changed middle (lines, both sides) given to Myers without a time limit. */
const MAX_MYERS_LINES = 6_000;
/** Time budget for jsdiff on longer middles, ms; past it the middle is one delete + insert. */
const LONG_LINES_TIMEOUT_MS = 40;
/** Longest changed stretch (characters, both sides) that gets a word-level refinement. */
const MAX_REFINE_CHARS = 4_000;
/** Time budget for all word-level refinements of one diff, ms; later stretches stay line-level. */
const REFINE_BUDGET_MS = 30;

const LINE = /[^\n]*\n|[^\n]+/g;
// Words, runs of spaces, and single other characters, like jsdiff's diffWordsWithSpace.
const WORD = /[\p{L}\p{N}_]+|[^\S\n]+|\n|[^\p{L}\p{N}_\s]/gu;

// A CommonJS module exporting `{ default: fn }`: required directly, so Node and Vite's test
// transform see the same shape.
const diffSequences = (createRequire(import.meta.url)('diff-sequences') as { default: typeof import('diff-sequences').default }).default;

function push(parts: DiffPart[], op: DiffOp, text: string): void {
  if (text === '') return;
  const last = parts[parts.length - 1];
  if (last && last.op === op) last.text += text;
  else parts.push({ op, text });
}

/** Token sequences as integer ids (equal tokens share an id). */
function toIds(a: string[], b: string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const idOf = (token: string): number => {
    let id = ids.get(token);
    if (id === undefined) ids.set(token, (id = ids.size));
    return id;
  };
  return [Int32Array.from(a, idOf), Int32Array.from(b, idOf)];
}

/** Myers diff of two token lists, appended to `parts` as merged equal/delete/insert runs. */
function diffTokens(parts: DiffPart[], a: string[], b: string[]): void {
  const [idsA, idsB] = toIds(a, b);
  let atA = 0;
  let atB = 0;
  diffSequences(
    idsA.length,
    idsB.length,
    (i, j) => idsA[i] === idsB[j],
    (n, fromA, fromB) => {
      push(parts, 'delete', a.slice(atA, fromA).join(''));
      push(parts, 'insert', b.slice(atB, fromB).join(''));
      push(parts, 'equal', a.slice(fromA, fromA + n).join(''));
      atA = fromA + n;
      atB = fromB + n;
    },
  );
  push(parts, 'delete', a.slice(atA).join(''));
  push(parts, 'insert', b.slice(atB).join(''));
}

function diffLongLines(parts: DiffPart[], a: string[], b: string[]): void {
  const changes = diffArrays(a, b, { timeout: LONG_LINES_TIMEOUT_MS });
  if (!changes) {
    push(parts, 'delete', a.join(''));
    push(parts, 'insert', b.join(''));
    return;
  }
  for (const change of changes) push(parts, change.added ? 'insert' : change.removed ? 'delete' : 'equal', change.value.join(''));
}

/** Line-level changes: each part is whole lines. Common leading and trailing lines are cut first. */
export function diffBlocks(before: string, after: string): DiffPart[] {
  const a = before.match(LINE) ?? [];
  const b = after.match(LINE) ?? [];
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
  const parts: DiffPart[] = [];
  push(parts, 'equal', a.slice(0, head).join(''));
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  if (midA.length + midB.length <= MAX_MYERS_LINES) diffTokens(parts, midA, midB);
  else diffLongLines(parts, midA, midB);
  push(parts, 'equal', a.slice(a.length - tail).join(''));
  return parts;
}

/** Word-level changes; concatenating equal+delete parts gives `before`, equal+insert gives `after`. */
export function diffText(before: string, after: string, blocks = diffBlocks(before, after)): DiffPart[] {
  const parts: DiffPart[] = [];
  const deadline = performance.now() + REFINE_BUDGET_MS;
  for (let i = 0; i < blocks.length; i += 1) {
    const block = blocks[i];
    const next = blocks[i + 1];
    if (
      block.op === 'delete' &&
      next?.op === 'insert' &&
      block.text.length + next.text.length <= MAX_REFINE_CHARS &&
      performance.now() < deadline
    ) {
      diffTokens(parts, block.text.match(WORD) ?? [], next.text.match(WORD) ?? []);
      i += 1;
      continue;
    }
    push(parts, block.op, block.text);
  }
  return parts;
}
