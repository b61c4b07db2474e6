/**
 * The server's check on pad chat (common/chat.ts): once a change to a pad's `chat` array
 * reaches the room's doc, entries that are not well-formed messages within MAX_CHAT_LENGTH are
 * deleted again, as an `api` write. Clients already refuse to send or show them; this keeps a
 * hostile client from keeping them stored. Viewers need no check here: the server drops all
 * their writes.
 *
 * Off the hot path: the only per-update cost is Yjs calling an observer when (and only when)
 * the chat array changed; the scan and the fix run on the next turn. Watching starts with a
 * pad's first commit and does not make the room apply its queued appends (room.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import { CHAT_FIELD, readChatMessage } from '../../common/chat.js';
import type { Room } from '../sync/room.js';

/** The stored author of the guard's deletions. */
export const CHAT_GUARD_AUTHOR = 'server';

/** A Yjs update that deletes the items at `indices` (ascending) of `doc`'s chat array. */
export function chatDeletionUpdate(doc: Y.Doc, indices: readonly number[]): Uint8Array | null {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  let update: Uint8Array | null = null;
  copy.on('update', (u: Uint8Array) => (update = u));
  const chat = copy.getArray<unknown>(CHAT_FIELD);
  copy.transact(() => {
    for (let i = indices.length - 1; i >= 0; i -= 1) chat.delete(indices[i], 1);
  });
  copy.destroy();
  return update;
}

/** Indices of chat entries that are not valid messages. */
export function invalidChatEntries(doc: Y.Doc): number[] {
  const bad: number[] = [];
  doc.getArray<unknown>(CHAT_FIELD).forEach((item, index) => {
    if (readChatMessage(item) === null) bad.push(index);
  });
  return bad;
}

export class ChatGuard {
  private readonly watched = new WeakSet<Y.Doc>();
  private readonly due = new WeakSet<Room>();

  constructor(private readonly logger: FastifyBaseLogger) {}

  /** Call after every commit of `room` (Rooms' `onCommitted`): watches its chat. Never throws. */
  committed(room: Room): void {
    const doc = room.docAsApplied;
    if (this.watched.has(doc)) return;
    this.watched.add(doc);
    doc.getArray(CHAT_FIELD).observe(() => this.checkSoon(room));
    this.checkSoon(room);
  }

  private checkSoon(room: Room): void {
    if (this.due.has(room)) return;
    this.due.add(room);
    setImmediate(() => {
      this.due.delete(room);
      if (room.isClosed) return;
      try {
        this.check(room);
      } catch (err) {
        this.logger.warn({ err, padId: room.padId }, 'could not check the chat');
      }
    });
  }

  private check(room: Room): void {
    const doc = room.currentDoc();
    const bad = invalidChatEntries(doc);
    if (bad.length === 0) return;
    const update = chatDeletionUpdate(doc, bad);
    if (!update) return;
    this.logger.info({ padId: room.padId, removed: bad.length }, 'removed invalid chat messages');
    room.applyApiUpdate(update, CHAT_GUARD_AUTHOR).catch((err: unknown) => {
      this.logger.warn({ err, padId: room.padId }, 'could not remove invalid chat messages');
    });
  }
}
