/**
 * Pad content as the Etherpad API's text: one line per Etherpad line, ending with a newline
 * (Etherpad's text always does), lists as Etherpad's text export writes them (a tab per level
 * below the first, `* ` for bullets, `1. ` numbering). And the way back: `setText` makes one
 * paragraph per line (empty lines too), `appendText` continues the last line as Etherpad does.
 */
import type { JSONContent } from '@tiptap/core';
import type { Node as PmNode, Schema } from '@tiptap/pm/model';
import { documentLines } from '../document-lines.js';

export function etherpadText(doc: PmNode): string {
  const counters: number[] = [];
  const lines = documentLines(doc).map((line) => {
    const attribs = new Map(line.lineAttribs);
    const list = /^(bullet|number)(\d+)$/.exec(attribs.get('list') ?? '');
    if (!list) {
      counters.length = 0;
      return line.text;
    }
    const level = Number(list[2]);
    counters.length = level;
    const start = Number(attribs.get('start'));
    counters[level - 1] = Number.isInteger(start) && attribs.has('start') ? start : (counters[level - 1] ?? 0) + 1;
    return `${'\t'.repeat(level - 1)}${list[1] === 'bullet' ? '* ' : `${counters[level - 1]}. `}${line.text}`;
  });
  return `${lines.join('\n')}\n`;
}

/** Etherpad's text: lines, the last newline optional. */
function linesOf(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, '\n');
  return (normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized).split('\n');
}

const paragraph = (text: string): JSONContent => (text ? { type: 'paragraph', content: [{ type: 'text', text }] } : { type: 'paragraph' });

/** `setText`: a paragraph per line. */
export function textDocument(text: string, schema: Schema): PmNode {
  return schema.nodeFromJSON({ type: 'doc', content: linesOf(text).map(paragraph) });
}

/** `appendText`: the text's first line continues the pad's last line, the others follow as paragraphs. */
export function appendedDocument(doc: PmNode, text: string, schema: Schema): PmNode {
  if (text === '') return doc;
  const json = doc.toJSON() as JSONContent;
  const blocks = [...(json.content ?? [])];
  const [first, ...rest] = text.replace(/\r\n?/g, '\n').split('\n');
  const last = blocks[blocks.length - 1];
  if (last && (last.type === 'paragraph' || last.type === 'heading')) {
    if (first) blocks[blocks.length - 1] = { ...last, content: [...(last.content ?? []), { type: 'text', text: first }] };
  } else {
    blocks.push(paragraph(first));
  }
  blocks.push(...rest.map(paragraph));
  return schema.nodeFromJSON({ ...json, content: blocks });
}
