/**
 * Pad content (ProseMirror JSON) -> plain text for e-mail, wrapped at a column (72, as
 * openstack-discuss posts are): headings underlined (`=`, `-`, `~`; deeper ones end with a
 * colon), list items with `-`, `1.` or `[ ]` and a hanging indent, quotes with `> `, code blocks
 * indented four spaces and never wrapped, links as `text <address>` (only addresses that every
 * export allows, safe-href.ts: text is pasted where `<javascript:...>` can become a link).
 * Words longer than a line (addresses) get a line of their own rather than being broken. No
 * markup, no escaping.
 */
import type { JSONContent } from '@tiptap/core';
import { safeHref } from './safe-href.js';

/** Wrap column of plain-text recaps. */
export const TEXT_WIDTH = 72;

const UNDERLINES = ['=', '-', '~'];

export function docToWrappedText(doc: JSONContent, width = TEXT_WIDTH): string {
  const out = blocks(doc.content ?? [], width)
    .join('\n\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\s+$/, '');
  return out === '' ? '' : `${out}\n`;
}

function blocks(nodes: readonly JSONContent[], width: number): string[] {
  return nodes.map((node) => block(node, width)).filter((text) => text !== '');
}

function block(node: JSONContent, width: number): string {
  switch (node.type) {
    case 'heading': {
      const level = typeof node.attrs?.level === 'number' ? node.attrs.level : 1;
      const text = inline(node).replace(/\n/g, ' ').trim();
      const underline = UNDERLINES[level - 1];
      if (underline) {
        const lines = wrap(text, width);
        return `${lines}\n${underline.repeat(Math.max(...lines.split('\n').map((l) => l.length)))}`;
      }
      return wrap(/[:?!.]$/.test(text) ? text : `${text}:`, width);
    }
    case 'paragraph':
      return wrap(inline(node), width);
    case 'codeBlock':
      return (node.content ?? [])
        .map((c) => c.text ?? '')
        .join('')
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n');
    case 'horizontalRule':
      return '----';
    case 'blockquote':
      return prefixLines(blocks(node.content ?? [], width - 2).join('\n\n'), '> ', '> ');
    case 'bulletList':
    case 'orderedList':
    case 'taskList': {
      const start = typeof node.attrs?.start === 'number' ? node.attrs.start : 1;
      const items = node.content ?? [];
      const numberWidth = String(start + items.length - 1).length;
      return items
        .map((item, i) => {
          const marker =
            node.type === 'orderedList'
              ? `${String(start + i).padStart(numberWidth)}. `
              : item.type === 'taskItem'
                ? item.attrs?.checked
                  ? '[x] '
                  : '[ ] '
                : '- ';
          const body = blocks(item.content ?? [], width - marker.length).join('\n');
          return prefixLines(body, marker, ' '.repeat(marker.length));
        })
        .join('\n');
    }
    case 'table':
      return (node.content ?? [])
        .map((row) =>
          (row.content ?? [])
            .map((cell) =>
              blocks(cell.content ?? [], Number.MAX_SAFE_INTEGER)
                .join(' ')
                .replace(/\s*\n\s*/g, ' '),
            )
            .join(' | '),
        )
        .join('\n');
    default:
      return wrap(inline(node), width);
  }
}

function inline(node: JSONContent): string {
  return (node.content ?? [])
    .map((child) => {
      if (child.type === 'hardBreak') return '\n';
      if (child.type !== 'text') return inline(child);
      const text = child.text ?? '';
      const href = safeHref(child.marks?.find((m) => m.type === 'link')?.attrs?.href);
      return href !== null && href !== text && !text.includes(href) ? `${text} <${href}>` : text;
    })
    .join('');
}

/** Each line of `text` (hard breaks kept) filled greedily up to `width` columns. */
export function wrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const words = line.split(/[ \t]+/).filter(Boolean);
      const lines: string[] = [];
      let current = '';
      for (const word of words) {
        if (current && current.length + 1 + word.length > width) {
          lines.push(current);
          current = word;
        } else {
          current = current ? `${current} ${word}` : word;
        }
      }
      lines.push(current);
      return lines.join('\n');
    })
    .join('\n');
}

function prefixLines(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, i) => (line === '' ? '' : (i === 0 ? first : rest) + line))
    .join('\n');
}
