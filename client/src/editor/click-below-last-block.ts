/**
 * A click below the last block puts the caret on an empty line there, as in any word
 * processor. When the last block is a heading, list, table or code block, that line is a new
 * empty paragraph, added by the person who clicked and only then. (TipTap's TrailingNode kept
 * one there at all times, added by every client on its own: several people on a pad made
 * several, and they ended up in the stored notes.)
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

const clickBelowKey = new PluginKey('gatherpadClickBelowLastBlock');

function clickedBelowLastBlock(view: EditorView, event: MouseEvent): boolean {
  if (event.button !== 0 || event.target !== view.dom) return false;
  const last = view.dom.lastElementChild;
  return last !== null && event.clientY > last.getBoundingClientRect().bottom;
}

function caretOnEmptyLastLine(view: EditorView): void {
  const { state } = view;
  const { doc, schema } = state;
  const last = doc.lastChild;
  const tr = state.tr;
  if (!(last && last.type === schema.nodes.paragraph && last.content.size === 0)) {
    tr.insert(doc.content.size, schema.nodes.paragraph.create());
  }
  tr.setSelection(TextSelection.create(tr.doc, tr.doc.content.size - 1));
  view.dispatch(tr.scrollIntoView());
  view.focus();
}

export const ClickBelowLastBlock = Extension.create({
  name: 'gatherpadClickBelowLastBlock',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: clickBelowKey,
        props: {
          handleDOMEvents: {
            mousedown(view, event) {
              if (!view.editable || !clickedBelowLastBlock(view, event)) return false;
              const last = view.state.doc.lastChild;
              // Below a paragraph with text, the browser's own placing (the end of it) is right.
              if (last && last.type === view.state.schema.nodes.paragraph && last.content.size > 0) return false;
              event.preventDefault();
              caretOnEmptyLastLine(view);
              return true;
            },
          },
        },
      }),
    ];
  },
});
