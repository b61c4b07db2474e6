/**
 * What markdown is turned into before it becomes pad content: input normalized (byte order
 * mark, line ends, NUL), and the parsed document cleaned (disallowed links dropped, soft line
 * breaks as spaces, stray inline nodes wrapped, deep nesting flattened).
 */
import type { JSONContent } from '@tiptap/core';
import { safeHref } from './safe-href.js';

/** Largest nesting of blocks (quotes, lists) kept on import; deeper markup is flattened to text. */
export const MAX_IMPORT_NESTING = 40;

export function normalizeInput(markdown: string): string {
  // Byte order mark, Windows and old Mac line ends, NUL (marked maps it to U+FFFD anyway).
  return markdown
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\0/g, '\uFFFD');
}

/** Nodes whose children are blocks: stray inline content there is wrapped in a paragraph. */
const BLOCK_CONTAINERS = new Set(['doc', 'blockquote', 'listItem', 'taskItem', 'tableCell', 'tableHeader']);

/**
 * After parsing: drop disallowed links, turn soft line breaks in text into spaces (as markdown
 * renders them), wrap stray inline nodes in paragraphs, flatten nesting deeper than
 * MAX_IMPORT_NESTING.
 */
export function cleanImported(node: JSONContent, depth: number, parentType: string): JSONContent | null {
  const copy: JSONContent = { ...node };
  if (node.type === 'text') {
    if (!node.text) return null;
    if (parentType !== 'codeBlock' && !(node.marks ?? []).some((m) => m.type === 'code')) copy.text = node.text.replace(/\n/g, ' ');
    if (node.marks) {
      copy.marks = node.marks.flatMap((m) => {
        if (m.type !== 'link') return [m];
        const href = safeHref(m.attrs?.href);
        return href ? [{ ...m, attrs: { ...m.attrs, href } }] : [];
      });
      if (copy.marks.length === 0) delete copy.marks;
    }
    return copy;
  }
  if (!node.content) return copy;
  if (depth >= MAX_IMPORT_NESTING && NESTING_TYPES.has(node.type ?? '')) {
    return { type: 'paragraph', content: [{ type: 'text', text: textOf(node).slice(0, 100_000) || ' ' }] };
  }
  const children = node.content.map((c) => cleanImported(c, depth + 1, node.type ?? '')).filter((c): c is JSONContent => c !== null);
  if (!BLOCK_CONTAINERS.has(node.type ?? '')) {
    copy.content = children;
    return copy;
  }
  const blocks: JSONContent[] = [];
  let inline: JSONContent[] | null = null;
  for (const child of children) {
    if (child.type === 'text' || child.type === 'hardBreak') {
      if (!inline) blocks.push({ type: 'paragraph', content: (inline = []) });
      inline.push(child);
    } else {
      inline = null;
      blocks.push(child);
    }
  }
  copy.content = blocks;
  return copy;
}

const NESTING_TYPES = new Set(['blockquote', 'bulletList', 'orderedList', 'taskList']);

function textOf(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(textOf).join(' ');
}
