/**
 * Pad content (ProseMirror JSON) -> plain text: paragraphs separated by blank lines, list items
 * with `-`, `1.` or `[ ]`/`[x]` and two spaces of indent per level, table cells separated by
 * tabs, code blocks as they are. No escaping: the output is not markdown.
 */
import type { JSONContent } from '@tiptap/core';
import { listStart } from './list-start.js';

export function padToPlainText(doc: JSONContent): string {
  const out = blocks(doc.content ?? [], '')
    .join('\n\n')
    .replace(/\s+$/, '');
  return out === '' ? '' : `${out}\n`;
}

function inline(node: JSONContent): string {
  return (node.content ?? []).map((c) => (c.type === 'text' ? (c.text ?? '') : c.type === 'hardBreak' ? '\n' : inline(c))).join('');
}

function indentLines(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first : line === '' ? '' : rest) + line)
    .join('\n');
}

function blocks(nodes: JSONContent[], indent: string): string[] {
  return nodes.map((node) => block(node, indent));
}

function block(node: JSONContent, indent: string): string {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
      return indentLines(inline(node), indent, indent);
    case 'codeBlock':
      return indentLines((node.content ?? []).map((c) => c.text ?? '').join(''), indent, indent);
    case 'horizontalRule':
      return `${indent}----`;
    case 'blockquote':
      return blocks(node.content ?? [], indent + '  ').join('\n\n');
    case 'bulletList':
    case 'orderedList':
    case 'taskList': {
      const start = listStart(node.attrs);
      return (node.content ?? [])
        .map((item, i) => {
          const marker =
            node.type === 'orderedList' ? `${start + i}. ` : item.type === 'taskItem' ? (item.attrs?.checked ? '[x] ' : '[ ] ') : '- ';
          const body = blocks(item.content ?? [], '').join('\n');
          return indentLines(body, indent + marker, indent + ' '.repeat(marker.length));
        })
        .join('\n');
    }
    case 'table':
      return (node.content ?? [])
        .map(
          (row) =>
            indent +
            (row.content ?? [])
              .map((cell) =>
                blocks(cell.content ?? [], '')
                  .join(' ')
                  .replace(/\s*\n\s*/g, ' '),
              )
              .join('\t'),
        )
        .join('\n');
    default:
      return indentLines(inline(node), indent, indent);
  }
}
