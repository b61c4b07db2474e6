/**
 * The summary items of a pad, line by line in document order: action items, decisions, open
 * questions, `#info` notes and `#link`s. What counts:
 * - every line that starts with a marker (recap-markers.ts, which lists them);
 * - task list items that are not checked (action items; a checked one, its first line, is done);
 * - every other line of a paragraph or list item under a heading that mentions "decision" or
 *   "agreed" (decisions), and lines ending in `?` under a heading that mentions "question";
 * - not: code blocks, headings, lines struck through as a whole (done), checked tasks.
 */
import type { JSONContent } from '@tiptap/core';
import { plainText, sliceLine, textblockLines, trimLine } from './inline-lines.js';
import { actionOwners, lineMarker, type LineMarker, type MarkerKind } from './recap-markers.js';

export interface RecapItem {
  kind: MarkerKind;
  /** The item's text as inline pad content (marks kept), without its marker and owner markers. */
  content: JSONContent[];
  /** Owners, without `@`; only action items have them. */
  owners: string[];
}

type Section = 'decisions' | 'questions' | null;

/** The summary items of one pad's content, in document order. */
export function summarizePad(doc: JSONContent): RecapItem[] {
  const items: RecapItem[] = [];
  let section: Section = null;

  const fromLine = (line: JSONContent[], marker: LineMarker): void => {
    if (marker.kind === 'done') return;
    const text = plainText({ content: line });
    const content = trimLine(sliceLine(line, marker.prefixLength, text.length - marker.suffixLength));
    if (content.length > 0) items.push({ kind: marker.kind, content, owners: marker.kind === 'action' ? marker.owners : [] });
  };

  const visitTextblock = (block: JSONContent, inTask: boolean): void => {
    for (const line of textblockLines(block)) {
      const text = plainText({ content: line });
      if (text.trim() === '' || struckThrough(line)) continue;
      const marker = lineMarker(text);
      if (marker) fromLine(line, marker);
      else if (section === 'decisions' && !inTask) items.push({ kind: 'decision', content: trimLine(line), owners: [] });
      else if (section === 'questions' && text.trim().endsWith('?')) items.push({ kind: 'question', content: trimLine(line), owners: [] });
    }
  };

  const visit = (node: JSONContent, inTask: boolean): void => {
    switch (node.type) {
      case 'heading': {
        const title = plainText(node).toLowerCase();
        section = /decision|agreed|agreement/.test(title) ? 'decisions' : title.includes('question') ? 'questions' : null;
        return;
      }
      case 'taskItem': {
        const [first, ...rest] = node.content ?? [];
        if (first?.type !== 'paragraph') {
          for (const child of node.content ?? []) visit(child, true);
          return;
        }
        const [lead, ...more] = textblockLines(first);
        const text = plainText({ content: lead });
        if (node.attrs?.checked !== true && text.trim() !== '' && !struckThrough(lead)) {
          const marker = lineMarker(text);
          fromLine(lead, marker && marker.kind === 'action' ? marker : actionOwners(text));
        }
        if (more.length > 0)
          visitTextblock({ type: 'paragraph', content: more.flatMap((l, i) => (i === 0 ? l : [{ type: 'hardBreak' }, ...l])) }, true);
        for (const child of rest) visit(child, true);
        return;
      }
      case 'paragraph':
        visitTextblock(node, inTask);
        return;
      case 'codeBlock':
        return;
      default:
        for (const child of node.content ?? []) visit(child, inTask);
    }
  };
  visit(doc, false);
  return items;
}

/** Every character of the line carries a strike mark: the item is done. */
function struckThrough(line: readonly JSONContent[]): boolean {
  const texts = line.filter((n) => n.type === 'text' && (n.text ?? '').trim() !== '');
  return texts.length > 0 && texts.every((n) => (n.marks ?? []).some((m) => m.type === 'strike'));
}
