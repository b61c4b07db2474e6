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
const MAX_REFINE_CHARS = 20_000;
/** Time budget for each word-level refinement, ms. */
const REFINE_TIMEOUT_MS = 30;

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+/g) ?? [];
}

function push(parts: DiffPart[], op: DiffOp, text: string): void {
  if (text === '') return;
  const last = parts[parts.length - 1];
  if (last && last.op === op) last.text += text;
  else parts.push({ op, text });
}

/** Line-level changes: each part is whole lines. */
export function diffBlocks(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of diffArrays(splitLines(before), splitLines(after))) {
    push(parts, change.added ? 'insert' : change.removed ? 'delete' : 'equal', change.value.join(''));
  }
  return parts;
}

/** Word-level changes; concatenating equal+delete parts gives `before`, equal+insert gives `after`. */
export function diffText(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  const blocks = diffBlocks(before, after);
  for (let i = 0; i < blocks.length; i += 1) {
    const block = blocks[i];
    const next = blocks[i + 1];
    if (block.op === 'delete' && next?.op === 'insert' && block.text.length + next.text.length <= MAX_REFINE_CHARS) {
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
