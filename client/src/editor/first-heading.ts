import type { Editor } from '@tiptap/core';

/** The text of the document's first heading (at most 80 characters), or ''. */
export function firstHeading(editor: Editor): string {
  let text = '';
  editor.state.doc.descendants((node) => {
    if (text !== '') return false;
    if (node.type.name === 'heading') text = node.textContent.trim();
    return node.isBlock && node.type.name !== 'heading';
  });
  return text.slice(0, 80);
}
