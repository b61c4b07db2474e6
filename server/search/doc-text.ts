/**
 * The plain text of a pad for search: the XmlFragment `default` walked depth-first, one line
 * per block (paragraph, heading, list item, table cell), text runs joined without markup.
 */
import * as Y from 'yjs';

/** Longest text indexed per pad, in UTF-16 units; the rest is not searchable. */
export const MAX_INDEXED_CHARS = 200_000;

export function docPlainText(doc: Y.Doc, field = 'default'): string {
  const lines: string[] = [];
  let length = 0;
  const walk = (node: Y.XmlElement | Y.XmlFragment): void => {
    let line = '';
    for (const child of node.toArray()) {
      if (length > MAX_INDEXED_CHARS) return;
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as { insert?: unknown }[]) if (typeof op.insert === 'string') line += op.insert;
      } else if (child instanceof Y.XmlElement) {
        if (line) flush(line);
        line = '';
        if (child.nodeName === 'hardBreak') continue;
        walk(child);
      }
    }
    if (line) flush(line);
  };
  const flush = (line: string): void => {
    lines.push(line);
    length += line.length + 1;
  };
  walk(doc.getXmlFragment(field));
  return lines.join('\n').slice(0, MAX_INDEXED_CHARS);
}
