/**
 * Lines of pad content (ProseMirror JSON): a textblock's inline content split at hard breaks
 * (a code block's text at newlines), plain text of a node, and character slices of a line
 * that keep marks. What recaps read line by line.
 */
import type { JSONContent } from '@tiptap/core';

/** Nodes whose content is inline: one or more lines each. */
export const TEXTBLOCKS: ReadonlySet<string> = new Set(['paragraph', 'heading', 'codeBlock']);

/** The text of a node and everything in it, without markup; hard breaks count as nothing. */
export function plainText(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(plainText).join('');
}

/**
 * The lines of a textblock: its inline content split at each hard break (a code block's text
 * at each newline), so a block holds `1 + breaks` lines, empty ones included.
 */
export function textblockLines(block: JSONContent): JSONContent[][] {
  const lines: JSONContent[][] = [[]];
  for (const child of block.content ?? []) {
    if (child.type === 'hardBreak') {
      lines.push([]);
    } else if (block.type === 'codeBlock' && child.type === 'text' && child.text?.includes('\n')) {
      child.text.split('\n').forEach((part, i) => {
        if (i > 0) lines.push([]);
        if (part) lines[lines.length - 1].push({ ...child, text: part });
      });
    } else {
      lines[lines.length - 1].push(child);
    }
  }
  return lines;
}

/** The inline nodes covering characters `[from, to)` of `line`'s plain text, marks kept. */
export function sliceLine(line: readonly JSONContent[], from: number, to: number): JSONContent[] {
  const out: JSONContent[] = [];
  let at = 0;
  for (const node of line) {
    const length = node.type === 'text' ? (node.text ?? '').length : 0;
    const start = Math.max(from, at);
    const end = Math.min(to, at + length);
    if (node.type !== 'text') {
      if (at >= from && at < to) out.push(node);
    } else if (end > start) {
      out.push({ ...node, text: (node.text ?? '').slice(start - at, end - at) });
    }
    at += length;
  }
  return out;
}

/** `line` without white space at either end. */
export function trimLine(line: readonly JSONContent[]): JSONContent[] {
  const text = plainText({ content: [...line] });
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return end > start ? sliceLine(line, start, end) : [];
}
