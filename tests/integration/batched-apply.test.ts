/**
 * Plain appends from several peers are committed as they come and applied to the pad's document
 * later, together, in one Yjs transaction, in arrival order: when something reads the doc, once
 * 64 wait, or a second after the first. Checks made when each write arrives (client ids,
 * clocks) already count the queued ones.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { SocketCloseError } from '../../server/sync/close-error.js';
import { receiveFrame, type FrameSender, type PacedWork } from '../../server/sync/message-receiver.js';
import { updateFrameOf, waitUntil } from '../helpers/clients.js';
import { notesSkeleton, notesText, readNotesText } from '../helpers/notes-text.js';
import { useProviderSuite } from '../helpers/provider-suite.js';

let nextPeerId = 2_000_000;

class TestPeer implements FrameSender {
  readonly id = nextPeerId++;
  readonly origin;
  readonly wantsAcks = false;
  readonly canWrite = true;
  readonly awarenessClients = new Set<number>();
  writesReceived = 0;
  closed: string | null = null;
  constructor(readonly author: string) {
    this.origin = Object.freeze({ source: 'client' as const, connectionId: this.id, author });
  }
  send(): void {}
  sendShared(): void {}
  close(_code: number, reason: string): void {
    this.closed = reason;
  }
  admitWrite(): void {}
  writeDropped(): void {}
  handshakeDone(): void {}
  admitSyncStep1(): void {}
  admitPresence(): void {}
  paced(_kind: PacedWork, task: () => void): void {
    task();
  }
}

/**
 * A writer with its own Y.Doc: each call returns the update of one insert at the end of the
 * notes' shared paragraph (which the room must have: `roomWithNotes`).
 */
function writer(clientID: number): (text: string) => Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const t = notesText(doc);
  return (text) => {
    let update: Uint8Array | null = null;
    doc.once('update', (u: Uint8Array) => (update = u));
    t.insert(t.length, text);
    return update!;
  };
}

describe('batched apply of plain appends', () => {
  const suite = useProviderSuite();

  /** The room for `padId`, holding the notes' shared paragraph (committed, by 'a.setup'). */
  async function roomWithNotes(padId: string) {
    const room = await suite.server.app.rooms.get(padId);
    await room.applyApiUpdate(notesSkeleton(), 'a.setup');
    return room;
  }

  it('applies one turn of writes from several peers in one transaction and stores them all', async () => {
    const room = await roomWithNotes('batched-apply');
    let transactions = 0;
    room.currentDoc().on('afterTransaction', () => void (transactions += 1));
    const [ana, bo] = [new TestPeer('a.ana'), new TestPeer('a.bo')];
    for (const peer of [ana, bo]) room.join(peer);
    const anaWrites = writer(101);
    const boWrites = writer(202);
    receiveFrame(room, ana, updateFrameOf(anaWrites('Ana ')));
    receiveFrame(room, bo, updateFrameOf(boWrites('Bo ')));
    // Ana's second write continues her queued clock: still a plain append.
    receiveFrame(room, ana, updateFrameOf(anaWrites('again')));
    expect(transactions).toBe(0);
    expect(room.isDurable).toBe(false);

    // Reading the doc applies what waits; reading an XmlText's string is a transaction of its own.
    const doc = room.currentDoc();
    expect(transactions).toBe(1);
    const text = readNotesText(doc);
    expect(text).toContain('Ana again');
    expect(text).toContain('Bo ');

    await waitUntil(() => room.isDurable, 'the three writes committed');
    const stored = suite.server.app.stores
      .sqlite!.prepare('SELECT author FROM updates WHERE pad_id = ? ORDER BY seq')
      .all('batched-apply') as { author: string }[];
    expect(stored.map((row) => row.author)).toEqual(['a.setup', 'a.ana', 'a.bo', 'a.ana']);
    expect([ana.closed, bo.closed]).toEqual([null, null]);
  });

  it('commits appends before the doc applies them, and applies them within seconds unasked', async () => {
    const room = await roomWithNotes('batched-later');
    const ana = new TestPeer('a.ana');
    room.join(ana);
    const anaWrites = writer(505);
    // The pad's first commit has the chat guard look at the doc once (which applies it).
    receiveFrame(room, ana, updateFrameOf(anaWrites('[')));
    await waitUntil(() => room.isDurable && readNotesText(room.docAsApplied).length === 1, 'the first write applied');
    receiveFrame(room, ana, updateFrameOf(anaWrites('stored ')));
    receiveFrame(room, ana, updateFrameOf(anaWrites('first')));
    await waitUntil(() => room.isDurable, 'both committed');
    const stored = await suite.server.app.store.loadPad('batched-later');
    expect(stored.tail).toHaveLength(4);
    expect(readNotesText(room.docAsApplied)).toBe('[');
    await waitUntil(() => readNotesText(room.docAsApplied) === '[stored first', 'applied by the timer', 8000);
    expect(ana.closed).toBeNull();
  });

  it('applies at once when 64 appends wait', async () => {
    const room = await roomWithNotes('batched-cap');
    const ana = new TestPeer('a.ana');
    room.join(ana);
    const anaWrites = writer(606);
    for (let i = 0; i < 63; i += 1) receiveFrame(room, ana, updateFrameOf(anaWrites('x')));
    expect(readNotesText(room.docAsApplied).length).toBe(0);
    receiveFrame(room, ana, updateFrameOf(anaWrites('x')));
    expect(readNotesText(room.docAsApplied).length).toBe(64);
  });

  it('refuses, as it arrives, a write under a client id another author claimed earlier in the turn', async () => {
    const room = await roomWithNotes('batched-claims');
    const [ana, mallory] = [new TestPeer('a.ana'), new TestPeer('a.mallory')];
    for (const peer of [ana, mallory]) room.join(peer);
    const anaWrites = writer(303);
    receiveFrame(room, ana, updateFrameOf(anaWrites('mine')));
    expect(() => receiveFrame(room, mallory, updateFrameOf(anaWrites(' and more')))).toThrow(SocketCloseError);
    expect(readNotesText(room.currentDoc())).toBe('mine');
  });

  it('commits writes still queued when the server shuts down', async () => {
    const room = await roomWithNotes('batched-shutdown');
    const ana = new TestPeer('a.ana');
    room.join(ana);
    receiveFrame(room, ana, updateFrameOf(writer(404)('last words')));
    await suite.server.app.rooms.closeAll(1001, 'shutting down');
    const stored = suite.server.app.stores
      .sqlite!.prepare('SELECT count(*) AS n FROM updates WHERE pad_id = ?')
      .get('batched-shutdown') as { n: number };
    expect(stored.n).toBe(2);
  });
});
