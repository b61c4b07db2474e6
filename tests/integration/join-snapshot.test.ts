/**
 * Joiners of a large pad share one encoded state plus the frames fanned out since
 * (server/sync/join-snapshot.ts). Whatever path an answer takes, every joiner must end with
 * exactly the writer's content, and a reconnecting client that holds most of the pad must
 * still get only what it lacks.
 */
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType, SyncMessageType } from '../../common/protocol.js';
import { connectProvider, openRaw, synced, syncFrame, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { useProviderSuite } from '../helpers/provider-suite.js';
import { startInProcess } from '../helpers/server.js';
import { notesText, readNotesText } from '../helpers/notes-text.js';

/** The sync payloads (step 2 and updates) among a raw socket's frames. */
function syncPayloads(frames: Uint8Array[]): { subtype: number; payload: Uint8Array }[] {
  const out: { subtype: number; payload: Uint8Array }[] = [];
  for (const frame of frames) {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.sync) continue;
    const subtype = decoding.readVarUint(decoder);
    if (subtype !== SyncMessageType.step1) out.push({ subtype, payload: decoding.readVarUint8Array(decoder) });
  }
  return out;
}

describe('joining a large pad while it is being written', () => {
  const suite = useProviderSuite();
  const client = suite.client;

  it('every joiner converges on the writer while edits continue, and a reconnect gets only the difference', async () => {
    const writer = client('join-large');
    await synced(writer);
    const text = notesText(writer.doc);
    // 30,000 characters in 600 separate edits: past the size where joiners share one encoding.
    writer.doc.transact(() => {
      for (let i = 0; i < 600; i += 1)
        text.insert((i * 7919) % (text.length + 1), `edit ${String(i).padStart(4, '0')} of the notes; `.padEnd(50, '.'));
    });
    await waitUntil(
      () => readNotesText(roomDoc(suite.server.app.rooms.peek('join-large'))).length === text.length,
      'the server holds the seed',
    );

    const joiners: ProviderClient[] = [];
    const raw = [];
    for (let round = 0; round < 8; round += 1) {
      for (let k = 0; k < 5; k += 1) text.insert((round * 131 + k * 17) % text.length, `r${round}k${k} `);
      joiners.push(client('join-large'));
      const socket = await openRaw(`${suite.server.wsUrl}/join-large`);
      socket.ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
      raw.push(socket);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    text.insert(0, 'last words. ');
    const final = () => text.toString();
    for (const joiner of joiners) await waitUntil(() => readNotesText(joiner.doc) === final(), 'a provider joiner converges');
    for (const socket of raw) {
      await waitUntil(() => {
        const doc = new Y.Doc();
        for (const { payload } of syncPayloads(socket.frames)) Y.applyUpdate(doc, payload);
        return readNotesText(doc) === final();
      }, 'a raw joiner converges from its step 2 and the updates after it');
      socket.ws.close();
    }

    // A client that has everything but the last edit is sent a small, exact difference.
    const behind = new Y.Doc();
    Y.applyUpdate(behind, Y.encodeStateAsUpdate(writer.doc));
    text.insert(5, 'one more');
    await waitUntil(() => readNotesText(roomDoc(suite.server.app.rooms.peek('join-large'))) === final(), 'server has the edit');
    const socket = await openRaw(`${suite.server.wsUrl}/join-large`);
    socket.ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(behind)));
    await waitUntil(() => syncPayloads(socket.frames).some((p) => p.subtype === SyncMessageType.step2), 'step 2 for the reconnect');
    const step2 = syncPayloads(socket.frames).find((p) => p.subtype === SyncMessageType.step2)!;
    expect(step2.payload.length).toBeLessThan(2_000);
    Y.applyUpdate(behind, step2.payload);
    expect(readNotesText(behind)).toBe(final());
    socket.ws.close();
  });

  it('answers the first joiner of a cold pad from its stored snapshot and log tail', async () => {
    const cold = await startInProcess({ SNAPSHOT_EVERY: '5', UNLOAD_DELAY_MS: '50' });
    try {
      const writer = connectProvider(cold.wsUrl, 'join-cold');
      await synced(writer);
      const text = notesText(writer.doc);
      writer.doc.transact(() => text.insert(0, 'seed of the notes. '.repeat(1500)));
      // Small edits after it: a snapshot, then a tail of edits too small for the next snapshot.
      for (let i = 0; i < 12; i += 1) text.insert(i * 50, `[${i}]`);
      await waitUntil(() => readNotesText(roomDoc(cold.app.rooms.peek('join-cold'))) === text.toString(), 'stored');
      const later = new Y.Doc();
      Y.applyUpdate(later, Y.encodeStateAsUpdate(writer.doc));
      writer.destroy();
      await waitUntil(() => cold.app.rooms.peek('join-cold') === undefined, 'unloaded');
      // Log rows after the snapshot, as a process that stopped before its next snapshot leaves them.
      const tail: Uint8Array[] = [];
      later.on('update', (update: Uint8Array) => tail.push(update));
      for (let i = 0; i < 3; i += 1) notesText(later).insert(i * 7, `<tail ${i}>`);
      await cold.app.store.appendUpdates(
        tail.map((data, i) => ({ padId: 'join-cold', time: Date.now(), author: 'a.test', data, claims: i === 0 ? [later.clientID] : [] })),
      );
      const expected = readNotesText(later);
      const stored = await cold.app.store.loadPad('join-cold');
      expect(stored.snapshot).not.toBeNull();
      expect(stored.tail).toHaveLength(3);

      const socket = await openRaw(`${cold.wsUrl}/join-cold`);
      socket.ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
      await waitUntil(() => {
        const doc = new Y.Doc();
        for (const { payload } of syncPayloads(socket.frames)) Y.applyUpdate(doc, payload);
        return readNotesText(doc) === expected;
      }, 'the cold joiner gets the whole pad');
      socket.ws.close();
    } finally {
      await cold.close();
    }
  });
});

/** A loaded room's doc, or an empty one when the pad is not loaded. */
const roomDoc = (room: { currentDoc(): Y.Doc } | undefined): Y.Doc => room?.currentDoc() ?? new Y.Doc();
