/**
 * A pad's content as a ProseMirror document, read from and written to the Y.Doc's XmlFragment
 * `default` (TipTap's default field) through `@tiptap/y-tiptap`. Headless: no DOM.
 */
import { yXmlFragmentToProseMirrorRootNode, prosemirrorToYXmlFragment } from '@tiptap/y-tiptap';
import type { Node as PmNode, Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { CONTENT_FIELD } from '../pad-schema.js';

/** The top-level name of a pad's notes in its Y.Doc. */
export { CONTENT_FIELD };

/** The pad's current content as a `doc` node of `schema`. */
export function readPadDoc(ydoc: Y.Doc, schema: Schema): PmNode {
  return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(CONTENT_FIELD), schema);
}

/**
 * One Yjs update that turns the content of `ydoc` into `next`, computed on a scratch copy so
 * `ydoc` itself is untouched (writes to a live pad go through the room). The copy's content is
 * rewritten in one transaction; parts that are already equal are kept, so live carets elsewhere
 * in the document stay put. Returns null when the content is already `next`.
 */
export function replacementUpdate(ydoc: Y.Doc, next: PmNode): Uint8Array | null {
  const scratch = new Y.Doc({ gc: true });
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(ydoc));
    let changed = false;
    scratch.on('update', () => (changed = true));
    scratch.transact(() => {
      prosemirrorToYXmlFragment(next, scratch.getXmlFragment(CONTENT_FIELD));
    }, 'api');
    return changed ? Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(ydoc)) : null;
  } finally {
    scratch.destroy();
  }
}
