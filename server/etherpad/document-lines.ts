/**
 * A pad's ProseMirror document as Etherpad lines: the inverse of pad-document.ts. Each line
 * has its text, its line attributes (lists with their level, `start` on the first item of a
 * numbered list, headings, code) and runs of character attributes (bold, italic, underline,
 * strikethrough). What Etherpad has no attribute for keeps its text: links their text, task
 * items a `[ ]` / `[x]` prefix, table rows their cells joined by ` | `, hard breaks a new line.
 */
import type { Node as PmNode } from '@tiptap/pm/model';

export type Pair = readonly [string, string];

export interface ContentLine {
  text: string;
  /** Line attributes (without `lmkr` and `insertorder`, which the writer adds to the marker). */
  lineAttribs: Pair[];
  /** Character attributes, as runs covering `text`. */
  runs: { length: number; attribs: Pair[] }[];
}

const MARK_ATTRIBS: Readonly<Record<string, string>> = { bold: 'bold', italic: 'italic', underline: 'underline', strike: 'strikethrough' };
const MAX_LIST_LEVEL = 8;

export function documentLines(doc: PmNode): ContentLine[] {
  const lines: ContentLine[] = [];
  const textblock = (node: PmNode, lineAttribs: Pair[], prefix = ''): void => {
    let line: ContentLine = { text: prefix, lineAttribs, runs: prefix ? [{ length: prefix.length, attribs: [] }] : [] };
    node.forEach((child) => {
      if (child.type.name === 'hardBreak') {
        lines.push(line);
        line = { text: '', lineAttribs, runs: [] };
        return;
      }
      const text = child.isText ? (child.text ?? '') : child.textContent;
      if (!text) return;
      const attribs: Pair[] = [];
      for (const mark of child.marks) {
        const key = MARK_ATTRIBS[mark.type.name];
        if (key) attribs.push([key, 'true']);
      }
      line.text += text;
      line.runs.push({ length: text.length, attribs });
    });
    lines.push(line);
  };
  const block = (node: PmNode, listLevel: number): void => {
    switch (node.type.name) {
      case 'paragraph':
        textblock(node, []);
        break;
      case 'heading':
        textblock(node, [['heading', `h${Math.min(Number(node.attrs.level) || 1, 4)}`]]);
        break;
      case 'codeBlock':
        for (const text of node.textContent.split('\n'))
          lines.push({ text, lineAttribs: [['heading', 'code']], runs: text ? [{ length: text.length, attribs: [] }] : [] });
        break;
      case 'bulletList':
      case 'orderedList':
      case 'taskList': {
        const level = Math.min(listLevel + 1, MAX_LIST_LEVEL);
        const kind = node.type.name === 'orderedList' ? 'number' : 'bullet';
        let first = true;
        node.forEach((item) => {
          let leading = true;
          item.forEach((child) => {
            if (leading && child.isTextblock) {
              const attribs: Pair[] = [['list', `${kind}${level}`]];
              if (kind === 'number' && first) attribs.push(['start', String(node.attrs.start ?? 1)]);
              const prefix = item.type.name === 'taskItem' ? (item.attrs.checked ? '[x] ' : '[ ] ') : '';
              textblock(child, attribs, prefix);
              leading = false;
              first = false;
            } else {
              block(child, level);
            }
          });
        });
        break;
      }
      case 'table':
        node.forEach((row) => {
          const cells: string[] = [];
          row.forEach((cell) => cells.push(cell.textContent));
          const text = cells.join(' | ');
          lines.push({ text, lineAttribs: [], runs: text ? [{ length: text.length, attribs: [] }] : [] });
        });
        break;
      case 'horizontalRule':
        lines.push({ text: '---', lineAttribs: [], runs: [{ length: 3, attribs: [] }] });
        break;
      default:
        // Blockquotes and anything else that wraps blocks: their blocks, as they are.
        if (node.isTextblock) textblock(node, []);
        else node.forEach((child) => block(child, listLevel));
    }
  };
  doc.forEach((child) => block(child, 0));
  if (lines.length === 0) lines.push({ text: '', lineAttribs: [], runs: [] });
  return lines;
}
