/**
 * A minimal co-editing lab for the browser: several TipTap editors on the pad's own schema and
 * binding (common/extensions.ts, client/src/editor/pad-collaboration.ts), each bound to its own Y.Doc, joined by a relay that the test flushes
 * by hand (y-protocols' test style). No server, no provider, no timing: what it shows is what
 * the TipTap/Yjs binding itself does with a remote change.
 */
import { Editor } from '@tiptap/core';
import * as Y from 'yjs';
import { padCollaboration } from '../../../client/src/editor/pad-collaboration.js';
import { padExtensions } from '../../../common/extensions.js';

interface Peer {
  name: string;
  doc: Y.Doc;
  editor: Editor;
  /** Updates from other peers not yet applied here, oldest first. */
  inbox: Uint8Array[];
}

const peers = new Map<string, Peer>();
const RELAY = Symbol('relay');

function peer(name: string): Peer {
  const found = peers.get(name);
  if (!found) throw new RangeError(`no peer named ${name}`);
  return found;
}

const lab = {
  /** An editor named `name` in a new element; joins the relay. */
  add(name: string): void {
    const element = document.createElement('div');
    element.id = `editor-${name}`;
    document.body.append(element);
    const doc = new Y.Doc();
    const editor = new Editor({
      element,
      extensions: [...padExtensions(), ...padCollaboration(doc)],
      injectCSS: false,
    });
    const self: Peer = { name, doc, editor, inbox: [] };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === RELAY) return;
      for (const other of peers.values()) if (other !== self) other.inbox.push(update);
    });
    for (const other of peers.values()) self.inbox.push(Y.encodeStateAsUpdate(other.doc));
    peers.set(name, self);
  },
  /** Applies everything waiting for `name` (all peers when omitted). */
  flush(name?: string): void {
    for (const target of name ? [peer(name)] : [...peers.values()]) {
      const waiting = target.inbox.splice(0);
      for (const update of waiting) Y.applyUpdate(target.doc, update, RELAY);
    }
  },
  setContent(name: string, html: string): void {
    peer(name).editor.commands.setContent(html);
  },
  /** Puts `name`'s caret at the end of the `index`-th top-level block. */
  caretAtEndOf(name: string, index: number): void {
    const { editor } = peer(name);
    let pos = 0;
    for (let i = 0; i <= index; i++) pos += editor.state.doc.child(i).nodeSize;
    editor.commands.setTextSelection(pos - 1);
  },
  /**
   * Focuses `name`'s editor, so the page's keyboard types there. Synchronously: TipTap's focus
   * command waits for an animation frame, and on a busy machine the first typed key went to the
   * page body before it came.
   */
  focus(name: string): void {
    peer(name).editor.view.focus();
  },
  type(name: string, text: string): void {
    const { editor } = peer(name);
    editor.commands.insertContent(text);
  },
  enter(name: string): void {
    peer(name).editor.commands.splitBlock();
  },
  /** The top-level block index the caret of `name` is in, and its offset there. */
  caret(name: string): { block: number; offset: number } {
    const { $head } = peer(name).editor.state.selection;
    return { block: $head.index(0), offset: $head.parentOffset };
  },
  /** The marks on each text run of the `index`-th block, as `text:mark,mark`. */
  runs(name: string, index: number): string[] {
    const runs: string[] = [];
    peer(name)
      .editor.state.doc.child(index)
      .forEach((node) => {
        runs.push(`${node.text ?? ''}:${node.marks.map((mark) => mark.type.name).join(',')}`);
      });
    return runs;
  },
  /** Each top-level block's text. */
  blocks(name: string): string[] {
    const texts: string[] = [];
    peer(name).editor.state.doc.forEach((node) => texts.push(node.textContent));
    return texts;
  },
};

declare global {
  interface Window {
    lab: typeof lab;
  }
}
window.lab = lab;
