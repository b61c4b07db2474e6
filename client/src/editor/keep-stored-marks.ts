/**
 * Keeps the marks the next keystroke will get across remote changes.
 *
 * The Yjs binding applies every remote change as one transaction that replaces the whole
 * ProseMirror document and sets the selection again; ProseMirror drops the stored marks on
 * both. So after `**Status**` (whose input rule leaves "not bold" stored for the next
 * character), a keystroke of someone else elsewhere made the rest of the line bold: with
 * nothing stored, typed text takes the marks of the text before the caret. This plugin puts
 * back what was stored when the caret is still a caret after such a change.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

const keepStoredMarksKey = new PluginKey('gatherpadKeepStoredMarks');

function isRemoteChange(meta: unknown): boolean {
  return typeof meta === 'object' && meta !== null && (meta as { isChangeOrigin?: unknown }).isChangeOrigin === true;
}

export const KeepStoredMarks = Extension.create({
  name: 'gatherpadKeepStoredMarks',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: keepStoredMarksKey,
        appendTransaction(transactions, oldState, newState) {
          if (oldState.storedMarks === null || newState.storedMarks !== null) return null;
          if (!newState.selection.empty) return null;
          if (!transactions.every((tr) => isRemoteChange(tr.getMeta(ySyncPluginKey)))) return null;
          return newState.tr.setStoredMarks(oldState.storedMarks);
        },
      }),
    ];
  },
});
