/** Plain text import: one paragraph per non-empty line, as pad JSON. */
import type { JSONContent } from '@tiptap/core';

export function plainTextDoc(text: string): JSONContent {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\0/g, '\uFFFD')
    .split(/\r\n?|\n/);
  return {
    type: 'doc',
    content: lines.filter((line) => line.trim() !== '').map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })),
  };
}
