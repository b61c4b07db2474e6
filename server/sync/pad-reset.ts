/**
 * An admin's way out for a pad filled to its size cap: one update that deletes everything in
 * the pad's top-level types outside its schema (written before the server refused them), or in
 * all of them. Deleting keeps the pad a Yjs document every client can follow (a new document
 * would be pushed back by their step 2); with `gc` on, deleted content shrinks to its length,
 * so the next snapshot measures a small pad. History keeps the rest: a revision can be restored
 * afterwards.
 */
import * as Y from 'yjs';
import { PAD_TOP_LEVEL_NAMES } from '../../common/pad-schema.js';
import { forEachItem } from '../../common/yjs-items.js';

export type ResetScope = 'foreign' | 'all';

export interface PadReset {
  /** The deletions as one update, or null when there was nothing to delete. */
  update: Uint8Array | null;
  /** The top-level names that had content deleted. */
  cleared: string[];
}

export function padResetUpdate(doc: Y.Doc, scope: ResetScope): PadReset {
  const scratch = new Y.Doc({ gc: true });
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
  const cleared: string[] = [];
  let update: Uint8Array | null = null;
  scratch.on('update', (u: Uint8Array) => (update = u));
  Y.transact(scratch, (transaction) => {
    for (const [name, type] of scratch.share) {
      if (scope === 'foreign' && PAD_TOP_LEVEL_NAMES.has(name)) continue;
      // Any kind of type: its list items and its map entries (an unknown type's kind is unknown).
      let deleted = false;
      forEachItem(type, (item) => {
        if (item.deleted) return;
        item.delete(transaction);
        deleted = true;
      });
      if (deleted) cleared.push(name);
    }
  });
  scratch.destroy();
  return { update, cleared };
}
