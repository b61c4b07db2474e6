/**
 * How long a large pad's snapshot holds the event loop. A pad typed into by 800 people at
 * random places (one Yjs item per edit) is stored with a snapshot; a client then types new
 * 4-character edits at 2,500 a second (1,000 authors) until the next snapshot is due and built.
 * Measured in the server's process, with the snapshot encoded on the loop (SNAPSHOT_WORKER_BYTES
 * above the pad's size) and built in the worker thread (the default): the loop's time on the
 * snapshot (gatherpad_snapshot_loop_seconds), and the longest gap between 2 ms timer ticks from
 * the first edit until it was built, which also counts whatever else the loop did meanwhile
 * (the edits themselves, history indexing, GC; the "none due" row is the same edits with no
 * snapshot). `npm run bench -- snapshot-stall` (BENCH_ITEMS=13000,52000,155000: pad sizes).
 */
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { SyncMessageType } from '../common/protocol.js';
import { openRaw, syncFrame, updateFrameOf } from '../tests/helpers/clients.js';
import { notesText } from '../tests/helpers/notes-text.js';
import { startInProcess } from '../tests/helpers/server.js';
import { machine, numbersFromEnv, prng, watchLoopStalls } from './lib/stats.js';

const PAD = 'bench-snapshot-stall';
const AUTHORS = 800;

interface Pad {
  base: Uint8Array;
  items: number;
  /** New edits, one update each: more than a quarter of the base in stored bytes. */
  edits: Uint8Array[];
}

function typedPad(items: number): Pad {
  const random = prng(items);
  const doc = new Y.Doc();
  const text = notesText(doc);
  const type = () => {
    doc.clientID = 1000 + Math.floor(random() * AUTHORS);
    text.insert(Math.floor(random() * (text.length + 1)), 'abcd');
  };
  for (let i = 0; i < items; i += 1) type();
  const base = Y.encodeStateAsUpdate(doc);
  const edits: Uint8Array[] = [];
  let bytes = 0;
  doc.on('update', (update: Uint8Array) => {
    edits.push(update);
    bytes += update.length;
  });
  while (bytes < base.length / 2) type();
  doc.destroy();
  return { base, items, edits };
}

/** Snapshots built so far and the event loop's seconds on them (gatherpad_snapshot_loop_seconds). */
async function snapshotsBuilt(baseUrl: string): Promise<{ count: number; loopSeconds: number }> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let count = 0;
  let loopSeconds = 0;
  for (const line of text.split('\n')) {
    const [name, value] = line.split(' ');
    if (name.startsWith('gatherpad_snapshot_loop_seconds_count{')) count += Number(value);
    if (name.startsWith('gatherpad_snapshot_loop_seconds_sum{')) loopSeconds += Number(value);
  }
  return { count, loopSeconds };
}

type Built = 'loop' | 'worker' | 'none';

interface Measured {
  /** Event-loop time on the snapshot (the encoding, or handing it to the worker). */
  loopMs: number;
  /** Longest gap between 2 ms ticks from the first edit until the snapshot was built. */
  stallMs: number;
  builtAfterMs: number;
  cpuMs: number;
}

async function measure(pad: Pad, where: Built): Promise<Measured> {
  const server = await startInProcess({
    // 'none': the same edits with no snapshot due, for the stalls they cause themselves.
    SNAPSHOT_EVERY: where === 'none' ? String(1e9) : '1',
    SNAPSHOT_WORKER_BYTES: where === 'loop' ? String(1024 ** 3) : String(64 * 1024),
    MAX_UPDATES_PER_SECOND: '1000000',
    MAX_BYTES_PER_SECOND: String(1024 ** 3),
    MAX_PAD_BYTES: String(1024 ** 3),
    LOG_LEVEL: 'error',
  });
  let ws: WebSocket | null = null;
  try {
    await server.app.store.loadPad(PAD);
    const [seq] = await server.app.store.appendUpdates([{ padId: PAD, time: Date.now(), author: 'bench', data: pad.base, claims: [] }]);
    await server.app.store.writeSnapshot(PAD, seq, pad.base);
    const raw = await openRaw(`${server.wsUrl}/${PAD}`);
    ws = raw.ws;
    ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await snapshotsBuilt(server.baseUrl);

    const loop = watchLoopStalls();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    // 1,000 authors typing (Etherpad's model: an edit every 400 ms each), 50 edits every 20 ms,
    // until the snapshot is built; with none due, the edits that made it due on the loop.
    const edits = where === 'none' ? Math.min(pad.edits.length, noneEdits.get(pad) ?? pad.edits.length) : pad.edits.length;
    let built = before;
    let sent = 0;
    for (; sent < edits && built.count === before.count; sent += 50) {
      for (const edit of pad.edits.slice(sent, Math.min(sent + 50, edits))) ws.send(updateFrameOf(edit));
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (where !== 'none' && sent % 500 === 0) built = await snapshotsBuilt(server.baseUrl);
    }
    if (where === 'loop') noneEdits.set(pad, sent);
    const deadline = Date.now() + 60_000;
    while (where !== 'none' && built.count === before.count) {
      if (Date.now() > deadline) throw new Error(`no snapshot (${where}) within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      built = await snapshotsBuilt(server.baseUrl);
    }
    const builtAfterMs = performance.now() - started;
    const stallMs = loop.stop();
    const cpu = process.cpuUsage(cpuBefore);
    return { loopMs: (built.loopSeconds - before.loopSeconds) * 1000, stallMs, builtAfterMs, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    ws?.close();
    await server.close();
  }
}

/** Edits sent before the snapshot on the loop was built: the "none due" row sends as many. */
const noneEdits = new Map<Pad, number>();

export async function run(): Promise<string> {
  const sizes = numbersFromEnv('BENCH_ITEMS', [13000, 52000, 155000]);
  const lines = [
    '### Snapshot of a large live pad: time on the event loop',
    '',
    `${machine()}, ${new Date().toISOString().slice(0, 10)}, \`npm run bench -- snapshot-stall\` (in-process server from the sources, under tsx)`,
    '',
    '| pad (encoded) | items | snapshot | loop time on it | longest loop stall meanwhile | built after | process CPU meanwhile |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const items of sizes) {
    const pad = typedPad(items);
    const size = `${(pad.base.length / 1e6).toFixed(2)} MB`;
    for (const where of ['loop', 'none', 'worker'] as const) {
      const m = await measure(pad, where);
      lines.push(
        where === 'none'
          ? `| ${size} | ${items} | none due (the same edits) | - | ${m.stallMs.toFixed(0)} ms | - | ${m.cpuMs.toFixed(0)} ms |`
          : `| ${size} | ${items} | built on the ${where === 'loop' ? 'loop' : 'worker thread'} | ${m.loopMs.toFixed(1)} ms | ${m.stallMs.toFixed(0)} ms | ${(m.builtAfterMs / 1000).toFixed(1)} s | ${m.cpuMs.toFixed(0)} ms |`,
      );
      process.stderr.write(`${lines[lines.length - 1]}\n`);
    }
  }
  return lines.join('\n');
}
