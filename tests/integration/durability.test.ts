/**
 * Durable before visible: whatever a client received from the server, or saw acknowledged as
 * saved, survives kill -9 of the server process, a clean restart, and an idle unload.
 */
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageType, readSaved } from '../../common/protocol.js';
import { connectProvider, openRaw, synced, textUpdate, updateFrameOf, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { startInProcess, startServer, tempDataDir, type ChildServer } from '../helpers/server.js';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { notesText, readNotesText } from '../helpers/notes-text.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(client: ProviderClient): ProviderClient {
  cleanups.push(() => client.destroy());
  return client;
}

async function contentAfterRestart(dataDir: string, padId: string): Promise<string> {
  const server = await startServer({ dataDir });
  cleanups.push(() => server.stop());
  const reader = track(connectProvider(server.wsUrl, padId));
  await synced(reader);
  return readNotesText(reader.doc);
}

describe('durability', () => {
  it('keeps what another client saw across kill -9', async () => {
    const dataDir = tempDataDir();
    const server: ChildServer = await startServer({ dataDir });
    cleanups.push(() => server.kill());
    const writer = track(connectProvider(server.wsUrl, 'durable'));
    const watcher = track(connectProvider(server.wsUrl, 'durable'));
    await Promise.all([synced(writer), synced(watcher)]);
    notesText(writer.doc).insert(0, 'survives kill -9');
    await waitUntil(() => readNotesText(watcher.doc) === 'survives kill -9', 'watcher sees the edit');
    await server.kill();
    writer.provider.disconnect();
    watcher.provider.disconnect();

    expect(await contentAfterRestart(dataDir, 'durable')).toBe('survives kill -9');
  });

  it('keeps every acknowledged write when killed mid-stream', async () => {
    const dataDir = tempDataDir();
    const server = await startServer({ dataDir });
    cleanups.push(() => server.kill());
    const raw = await openRaw(`${server.wsUrl}/mid-stream?ack=1`);
    let acked = 0;
    raw.ws.on('message', (data: Buffer) => {
      if (data[0] !== MessageType.saved) return;
      const decoder = decoding.createDecoder(new Uint8Array(data));
      decoding.readVarUint(decoder);
      acked = Math.max(acked, readSaved(decoder));
    });
    // The notes' paragraph, then one client id with consecutive clocks: each frame appends one character.
    const doc = new (await import('yjs')).Doc();
    doc.clientID = 4242;
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 400; i += 1) notesText(doc).insert(i, String.fromCharCode(97 + (i % 26)));
    for (const update of updates) raw.ws.send(updateFrameOf(update));
    await waitUntil(() => acked >= 50, 'some acknowledgements');
    await server.kill();
    const ackedAtKill = acked;
    raw.ws.terminate();

    const restored = await contentAfterRestart(dataDir, 'mid-stream');
    // The first write is the notes' paragraph, each later one a character.
    expect(restored.length).toBeGreaterThanOrEqual(ackedAtKill - 1);
    expect(restored).toBe(readNotesText(doc).slice(0, restored.length));
  });

  it('flushes and exits cleanly on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const server = await startServer({ dataDir });
    const writer = track(connectProvider(server.wsUrl, 'graceful'));
    await synced(writer);
    const watcher = track(connectProvider(server.wsUrl, 'graceful'));
    await synced(watcher);
    notesText(writer.doc).insert(0, 'clean stop');
    await waitUntil(() => readNotesText(watcher.doc) === 'clean stop', 'edit visible to a second client');
    watcher.provider.disconnect();
    await server.stop();
    expect(server.process.exitCode).toBe(0);
    writer.provider.disconnect();
    expect(await contentAfterRestart(dataDir, 'graceful')).toBe('clean stop');
  });

  it('unloads an idle pad, returns its memory, and reloads it intact', async () => {
    const server = await startInProcess({ UNLOAD_DELAY_MS: '50' });
    cleanups.push(() => server.close());
    const first = track(connectProvider(server.wsUrl, 'idle'));
    await synced(first);
    notesText(first.doc).insert(0, 'idle content');
    await waitUntil(
      () => server.app.rooms.peek('idle')?.isDurable === true && (server.app.rooms.peek('idle')?.progress.lastSeq ?? 0) > 0,
      'committed',
    );
    first.provider.disconnect();
    await waitUntil(() => server.app.rooms.peek('idle') === undefined, 'room unloaded');
    expect(server.app.rooms.size).toBe(0);
    const snapshots = server.app.db!.prepare("SELECT count(*) AS n FROM snapshots WHERE pad_id = 'idle'").get() as { n: number };
    expect(snapshots.n).toBe(1);

    const second = track(connectProvider(server.wsUrl, 'idle'));
    await synced(second);
    expect(readNotesText(second.doc)).toBe('idle content');
  });

  it('loads from the latest snapshot plus the tail after it', async () => {
    const server = await startInProcess({ SNAPSHOT_EVERY: '10', UNLOAD_DELAY_MS: '50' });
    cleanups.push(() => server.close());
    const raw = await openRaw(`${server.wsUrl}/snapshots`);
    for (let i = 0; i < 25; i += 1) raw.ws.send(updateFrameOf(textUpdate(`x${i}`, 5000 + i)));
    await waitUntil(() => (server.app.rooms.peek('snapshots')?.progress.lastSeq ?? 0) === 25, 'all stored');
    raw.ws.close();
    await waitUntil(() => server.app.rooms.peek('snapshots') === undefined, 'unloaded');
    const stored = await server.app.store.loadPad('snapshots');
    expect(stored.snapshot).not.toBeNull();
    expect(stored.lastSeq).toBe(25);
    expect(stored.tail.length).toBe(0);
    const reader = track(connectProvider(server.wsUrl, 'snapshots'));
    await synced(reader);
    expect(readNotesText(reader.doc).length).toBe(25 * 2 + 15);
  });

  it('writes a snapshot again later when storing one failed', async () => {
    const server = await startInProcess({ SNAPSHOT_EVERY: '10', UNLOAD_DELAY_MS: '50' });
    cleanups.push(() => server.close());
    const store = server.app.store as SqliteStore;
    // Snapshots are written on the second connection: out of space there, they fail.
    const derived = store.derivedDb();
    derived.pragma(`max_page_count = ${derived.pragma('page_count', { simple: true }) as number}`);
    let failed = 0;
    const write = store.writeSnapshot.bind(store);
    store.writeSnapshot = (...args) =>
      write(...args).catch((err: unknown) => {
        failed += 1;
        throw err;
      });
    const raw = await openRaw(`${server.wsUrl}/snapshot-retry`);
    for (let i = 0; i < 10; i += 1) raw.ws.send(updateFrameOf(textUpdate('s'.repeat(2000), 9000 + i)));
    await waitUntil(() => failed > 0, 'a snapshot that could not be stored');
    derived.pragma('max_page_count = 1073741823');
    raw.ws.close();
    await waitUntil(() => server.app.rooms.peek('snapshot-retry') === undefined, 'unloaded');
    const latest = () =>
      (server.app.db!.prepare("SELECT MAX(seq) AS seq FROM snapshots WHERE pad_id = 'snapshot-retry'").get() as { seq: number | null }).seq;
    await waitUntil(() => latest() === 10, 'the snapshot written on unload', 5_000);
  });

  it('waits for new bytes worth a quarter of the last snapshot before the next one', async () => {
    const server = await startInProcess({ SNAPSHOT_EVERY: '10', UNLOAD_DELAY_MS: '60000' });
    cleanups.push(() => server.close());
    const count = () =>
      (server.app.db!.prepare("SELECT count(*) AS n FROM snapshots WHERE pad_id = 'snapshot-bytes'").get() as { n: number }).n;
    const latest = () =>
      (server.app.db!.prepare("SELECT MAX(seq) AS seq FROM snapshots WHERE pad_id = 'snapshot-bytes'").get() as { seq: number | null }).seq;
    const raw = await openRaw(`${server.wsUrl}/snapshot-bytes`);
    for (let i = 0; i < 10; i += 1) raw.ws.send(updateFrameOf(textUpdate('x'.repeat(800), 7000 + i)));
    await waitUntil(() => latest() === 10, 'a first snapshot after 10 updates');
    // Ten small updates: enough of them, but far less than a quarter of an 8 KB snapshot.
    for (let i = 0; i < 10; i += 1) raw.ws.send(updateFrameOf(textUpdate(`y${i}`, 7100 + i)));
    await waitUntil(() => (server.app.rooms.peek('snapshot-bytes')?.progress.lastSeq ?? 0) === 20, 'small updates stored');
    expect(latest()).toBe(10);
    raw.ws.send(updateFrameOf(textUpdate('z'.repeat(2500), 7200)));
    await waitUntil(() => latest() === 21, 'a snapshot once the new bytes pass a quarter');
    expect(count()).toBeGreaterThanOrEqual(1);
    raw.ws.close();
  });
});
