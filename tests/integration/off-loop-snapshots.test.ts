/**
 * Snapshots of large pads built in the worker thread: the same document as the live one, on a
 * live pad and on unload, and small pads still encoded on the loop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, synced, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';
import { notesText, readNotesText } from '../helpers/notes-text.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(env: Record<string, string>): Promise<InProcessServer> {
  const server = await startInProcess({ SNAPSHOT_EVERY: '5', UNLOAD_DELAY_MS: '100', ...env });
  cleanups.push(() => server.close());
  return server;
}

function connect(server: InProcessServer, padId: string): ProviderClient {
  const client = connectProvider(server.wsUrl, padId);
  cleanups.push(() => client.destroy());
  return client;
}

async function snapshotsBuilt(server: InProcessServer): Promise<{ loop: number; worker: number }> {
  const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
  const count = (built: string) =>
    Number(new RegExp(`^gatherpad_snapshot_loop_seconds_count\\{built="${built}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { loop: count('loop'), worker: count('worker') };
}

async function waitForSnapshots(
  server: InProcessServer,
  check: (n: { loop: number; worker: number }) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  let built = { loop: 0, worker: 0 };
  const checkBuilt = async () => {
    built = await snapshotsBuilt(server);
    return check(built);
  };
  await waitUntil(checkBuilt, () => `${what}: ${JSON.stringify(built)}`, timeoutMs, 20);
}

/** Edits in separate updates: inserts at pseudo-random places and some deletions. */
function edit(text: Y.Text, rounds: number, seed: number): void {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  for (let i = 0; i < rounds; i += 1) {
    if (i % 7 === 6 && text.length > 10) text.delete(next(text.length - 5), 3);
    else text.insert(next(text.length + 1), `w${seed}-${i} `);
  }
}

/** The document the store rebuilds: the latest snapshot and the log after it. */
async function storedText(
  server: InProcessServer,
  padId: string,
): Promise<{ text: string; snapshotSeq: number; snapshotBytes: number; lastSeq: number }> {
  const stored = await server.app.store.loadPad(padId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.tail) Y.applyUpdate(doc, update);
  return {
    text: readNotesText(doc),
    snapshotSeq: stored.lastSeq - stored.updatesSinceSnapshot,
    snapshotBytes: stored.snapshot?.length ?? 0,
    lastSeq: stored.lastSeq,
  };
}

describe('snapshots built off the loop', () => {
  it("builds a large pad's later snapshots in the worker, holding the live document", async () => {
    // Not about the rate limit: while the worker starts, the rounds pile up past 50 updates a second.
    const server = await start({ SNAPSHOT_WORKER_BYTES: '1', MAX_UPDATES_PER_SECOND: '100000' });
    const writer = connect(server, 'big');
    await synced(writer);
    const text = notesText(writer.doc);
    // The first snapshot is encoded on the loop; later ones start from it in the worker, each
    // from the one before.
    // Until two worker builds are done, each round waiting for the snapshot its commits made due
    // (or for the build under way, which the next one waits for): the worker starts in seconds
    // on a busy machine.
    let rounds = 0;
    const deadline = Date.now() + 40_000;
    while (rounds < 20 && (await snapshotsBuilt(server)).worker < 2) {
      rounds += 1;
      const beforeRound = await snapshotsBuilt(server);
      edit(text, 40, rounds);
      await waitUntil(() => server.app.rooms.peek('big')?.isDurable === true, 'committed');
      const moreBuilt = (n: { loop: number; worker: number }) => n.loop + n.worker > beforeRound.loop + beforeRound.worker;
      await waitForSnapshots(server, moreBuilt, `a snapshot after round ${rounds}`, deadline - Date.now());
    }
    // How many were encoded on the loop depends on timing (one that comes due while the worker
    // is busy waits, one after a failed build is encoded here): at least the first was.
    const built = await snapshotsBuilt(server);
    expect(built.loop).toBeGreaterThanOrEqual(1);
    expect(built.worker).toBeGreaterThanOrEqual(2);
    const room = server.app.rooms.peek('big')!;
    // Each round's edits, and the notes' paragraph (its own update, the first).
    const edits = rounds * 40 + 1;
    await waitUntil(() => room.progress.lastSeq === edits, `all ${edits} edits stored`);
    // The next snapshot's byte rule and the size cap start from the stored snapshot, once the
    // builds under way are stored.
    const roomCountsStored = async () => room.progress.snapshotBytes === (await storedText(server, 'big')).snapshotBytes;
    await waitUntil(roomCountsStored, 'the room to count the stored snapshot', 10_000, 20);
    const live = await storedText(server, 'big');
    expect(live.snapshotSeq).toBeGreaterThan(0);
    expect(live.text).toBe(text.toString());

    const before = await snapshotsBuilt(server);
    edit(text, 20, 99);
    const expected = text.toString();
    await waitUntil(() => room.progress.lastSeq === edits + 20 && room.isDurable, 'the last edits stored');
    writer.provider.disconnect();
    await waitUntil(() => server.app.rooms.peek('big') === undefined, 'unloaded');
    await waitForSnapshots(server, (n) => n.worker > before.worker, 'the unload snapshot, in the worker');
    await waitUntil(async () => (await storedText(server, 'big')).snapshotSeq >= edits + 20, 'the unload snapshot stored', 10_000, 20);
    expect(await storedText(server, 'big')).toMatchObject({ text: expected, snapshotSeq: edits + 20, lastSeq: edits + 20 });

    const reader = connect(server, 'big');
    await synced(reader);
    expect(readNotesText(reader.doc)).toBe(expected);
  });

  it('encodes pads under SNAPSHOT_WORKER_BYTES on the loop', async () => {
    const server = await start({ SNAPSHOT_WORKER_BYTES: String(1024 * 1024) });
    const writer = connect(server, 'small');
    await synced(writer);
    for (let round = 0; round < 3; round += 1) {
      edit(notesText(writer.doc), 30, round + 1);
      await waitUntil(() => server.app.rooms.peek('small')?.isDurable === true, 'committed');
    }
    await waitForSnapshots(server, (n) => n.loop >= 1, 'a snapshot');
    expect((await snapshotsBuilt(server)).worker).toBe(0);
    expect((await storedText(server, 'small')).text).toBe(readNotesText(writer.doc));
  });
});
