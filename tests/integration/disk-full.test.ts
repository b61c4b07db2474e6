/**
 * Durable under a full disk: the server's data folder is a small real filesystem that the test
 * fills and frees again and again while writers with `?ack=1` keep writing, space coming back
 * briefly before it fills again. Commits fail (writers get 1013 and reconnect), journal moves
 * and snapshots fail midway; then kill -9 and a restart must show every acknowledged update.
 */
import Database from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType, SyncMessageType, readSaved } from '../../common/protocol.js';
import { connectProvider, synced, syncFrame, textUpdate, updateFrameOf, waitUntil } from '../helpers/clients.js';
import { readNotesText } from '../helpers/notes-text.js';
import { startServer, type ChildServer } from '../helpers/server.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';

const PADS = ['full-a', 'full-b', 'full-c'];
const WRITERS_PER_PAD = 4;
/** Per writer: one write every this many ms, at most this many unacknowledged. */
const WRITE_EVERY_MS = 25;
const MAX_IN_FLIGHT = 4;
const CYCLES = 8;

const mounted = mountSmallDisk(32 * 1024 * 1024);
const skipReason = mounted.ok ? '' : ` (skipped: ${mounted.reason})`;

afterAll(() => {
  if (mounted.ok) mounted.disk.unmount();
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Run {
  stopped: boolean;
  /** Markers of every write the server acknowledged as saved. */
  acked: Set<string>;
  closes: number[];
  sent: number;
}

/** A writer: one raw socket at a time on `pad`, each write a fresh client id inserting its marker. */
async function writer(wsUrl: string, pad: string, index: number, run: Run): Promise<void> {
  let next = 0;
  for (let attempt = 0; !run.stopped && attempt < 10_000; attempt += 1) {
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`${wsUrl}/${pad}?ack=1`);
      const onConnection: string[] = [];
      let acked = 0;
      let timer: NodeJS.Timeout | null = null;
      ws.on('error', () => {});
      ws.on('message', (data: Buffer) => {
        const frame = new Uint8Array(data);
        if (timer === null && frame[0] === MessageType.sync) {
          ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
          timer = setInterval(() => {
            if (run.stopped || ws.readyState !== WebSocket.OPEN || onConnection.length - acked >= MAX_IN_FLIGHT) return;
            const marker = `<${index}.${next}>`;
            ws.send(updateFrameOf(textUpdate(marker, 1_000_000 + index * 100_000 + next)));
            next += 1;
            run.sent += 1;
            onConnection.push(marker);
          }, WRITE_EVERY_MS);
        }
        if (frame[0] !== MessageType.saved) return;
        const decoder = decoding.createDecoder(frame);
        decoding.readVarUint(decoder);
        const saved = readSaved(decoder);
        for (; acked < saved; acked += 1) run.acked.add(onConnection[acked]);
      });
      ws.on('close', (code) => {
        if (timer) clearInterval(timer);
        run.closes.push(code);
        resolve();
      });
    });
    if (!run.stopped) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `check` holds or `ms` pass; says which. */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

describe('a full disk', () => {
  it.skipIf(!mounted.ok)(
    `loses no acknowledged update through fill-and-free cycles and kill -9${skipReason}`,
    async () => {
      const disk = (mounted as { ok: true; disk: SmallDisk }).disk;
      const env = { SNAPSHOT_EVERY: '100', UNLOAD_DELAY_MS: '500' };
      const server: ChildServer = await startServer({ dataDir: disk.dir, env });
      cleanups.push(() => server.kill());
      const run: Run = { stopped: false, acked: new Set(), closes: [], sent: 0 };
      const writers = PADS.flatMap((pad, p) =>
        Array.from({ length: WRITERS_PER_PAD }, (_, w) => writer(server.wsUrl, pad, p * WRITERS_PER_PAD + w, run)),
      );
      cleanups.push(async () => {
        run.stopped = true;
        await Promise.all(writers);
      });

      let failures = 0;
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        // Space back: writes must be saved again (briefly on odd cycles, for a while on even ones).
        const ackedBefore = run.acked.size;
        const wanted = cycle % 2 === 0 ? 150 : 10;
        await waitUntil(() => run.acked.size >= ackedBefore + wanted, `writes saved again after space came back (cycle ${cycle})`, 30_000);
        expect(server.process.exitCode, server.output().slice(-3000)).toBeNull();
        disk.fill([0, 16 << 10, 64 << 10, 256 << 10][cycle % 4]);
        // Full: wait for the server to refuse writes (or to keep saving them into reused WAL pages).
        const closesBefore = run.closes.length;
        const ackedAtFill = run.acked.size;
        await within(
          15_000,
          () => run.closes.length >= closesBefore + 3 * PADS.length * WRITERS_PER_PAD || run.acked.size >= ackedAtFill + 300,
        );
        if (run.closes.length > closesBefore) failures += 1;
        disk.free();
      }
      const ackedBefore = run.acked.size;
      await waitUntil(() => run.acked.size >= ackedBefore + 50, 'writes saved after the last cycle', 30_000);
      expect(server.process.exitCode, server.output().slice(-3000)).toBeNull();
      await server.kill();
      run.stopped = true;
      await Promise.all(writers);
      expect(failures, 'the full disk made the server refuse writes').toBeGreaterThan(0);

      const crashImage = new Database(join(disk.dir, 'gatherpad.sqlite'));
      const duplicates = crashImage
        .prepare('SELECT pad_id, seq, count(*) AS n FROM update_journal GROUP BY pad_id, seq HAVING n > 1')
        .all();
      crashImage.close();
      expect(duplicates).toEqual([]);

      const restarted = await startServer({ dataDir: disk.dir, env });
      cleanups.push(() => restarted.stop());
      const stored = new Set<string>();
      for (const pad of PADS) {
        const reader = connectProvider(restarted.wsUrl, pad);
        cleanups.push(() => reader.destroy());
        await synced(reader);
        for (const marker of readNotesText(reader.doc).match(/<\d+\.\d+>/g) ?? []) stored.add(marker);
      }
      const lost = [...run.acked].filter((marker) => !stored.has(marker));
      expect({ acked: run.acked.size, lost: lost.length, sample: lost.slice(0, 10) }).toEqual({
        acked: run.acked.size,
        lost: 0,
        sample: [],
      });
    },
    300_000,
  );
});
