/**
 * Where each Yjs client's text sits in the ProseMirror document: the pad's XmlFragment and the
 * editor's document are walked side by side (the binding builds one from the other, block for
 * block), and every visible string item of the fragment gives a run of ProseMirror positions
 * with the client id that inserted it. Adjacent runs of one client are merged.
 *
 * Between a local keystroke and the binding writing it to Yjs the two differ for a moment; a
 * walk that finds them apart returns null and the caller tries again later.
 */
import type { Node as PmNode } from '@tiptap/pm/model';
import * as Y from 'yjs';

export interface AuthorRun {
  from: number;
  to: number;
  client: number;
}

/** Runs in document order, or null when the fragment and the document do not match. */
export function authorRuns(fragment: Y.XmlFragment, doc: PmNode): AuthorRun[] | null {
  const runs: AuthorRun[] = [];
  const push = (from: number, to: number, client: number): void => {
    const last = runs[runs.length - 1];
    if (last && last.client === client && last.to === from) last.to = to;
    else runs.push({ from, to, client });
  };

  /** The inline content of a textblock that starts at `pos`; false on a mismatch. */
  const inline = (element: Y.XmlElement, block: PmNode, start: number): boolean => {
    let pos = start;
    for (const child of element.toArray()) {
      if (child instanceof Y.XmlText) {
        for (let item = child._start; item !== null; item = item.right) {
          if (item.deleted || !item.countable) continue;
          if (item.content instanceof Y.ContentString) push(pos, pos + item.length, item.id.client);
          pos += item.length;
        }
      } else pos += 1; // an inline node such as a hard break
    }
    return pos - start === block.content.size;
  };

  /** The children of a block container whose content starts at `start`; false on a mismatch. */
  const blocks = (parent: Y.XmlFragment | Y.XmlElement, node: PmNode, start: number): boolean => {
    const children = parent.toArray();
    if (children.length !== node.childCount) return false;
    let pos = start;
    for (let i = 0; i < children.length; i += 1) {
      const child = children[i];
      const pmChild = node.child(i);
      if (!(child instanceof Y.XmlElement) || child.nodeName !== pmChild.type.name) return false;
      if (pmChild.isTextblock) {
        if (!inline(child, pmChild, pos + 1)) return false;
      } else if (!pmChild.isLeaf && !blocks(child, pmChild, pos + 1)) return false;
      pos += pmChild.nodeSize;
    }
    return true;
  };

  return blocks(fragment, doc, 0) ? runs : null;
}
