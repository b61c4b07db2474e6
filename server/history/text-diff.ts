/**
 * Diff of two plain texts for the revision view: a line-level diff (the block view), refined
 * into a word-level diff inside each changed stretch. Large rewrites fall back to whole-line
 * changes, so the cost stays bounded on long pads.
 */
import { diffArrays, diffWordsWithSpace } from 'diff';

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffPart {
  op: DiffOp;
  text: string;
}

/** Longest changed stretch (characters, both sides) that gets a word-level refinement. */
const MAX_REFINE_CHARS = 4_000;
/** Time budget for each word-level refinement, ms. */
const REFINE_TIMEOUT_MS = 10;
/** Time budget for all word-level refinements of one diff, ms; later stretches stay line-level. */
const REFINE_BUDGET_MS = 30;

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+/g) ?? [];
}

function push(parts: DiffPart[], op: DiffOp, text: string): void {
  if (text === '') return;
  const last = parts[parts.length - 1];
  if (last && last.op === op) last.text += text;
  else parts.push({ op, text });
}

/** Time budget for the line-level diff, ms; past it the changed middle is one delete + insert. */
const LINES_TIMEOUT_MS = 40;

/** Line-level changes: each part is whole lines. Common leading and trailing lines are cut first. */
export function diffBlocks(before: string, after: string): DiffPart[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
  const parts: DiffPart[] = [];
  push(parts, 'equal', a.slice(0, head).join(''));
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const changes = diffArrays(midA, midB, { timeout: LINES_TIMEOUT_MS });
  if (changes) {
    for (const change of changes) push(parts, change.added ? 'insert' : change.removed ? 'delete' : 'equal', change.value.join(''));
  } else {
    push(parts, 'delete', midA.join(''));
    push(parts, 'insert', midB.join(''));
  }
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
      const words = diffWordsWithSpace(block.text, next.text, { timeout: REFINE_TIMEOUT_MS });
      if (words) {
        for (const w of words) push(parts, w.added ? 'insert' : w.removed ? 'delete' : 'equal', w.value);
        i += 1;
        continue;
      }
    }
    push(parts, block.op, block.text);
  }
  return parts;
}
