/**
 * How long one hostile connection can hold the server's event loop (issue 23, items 3-5): the
 * worst `/healthz` latency, polled back to back from the generator, from the start of each
 * flood until the server has dealt with it (the attacker closed, or answering a last sync
 * step 1), plus a second. The server runs as `npm start` does, pinned to CPU 0.
 * `npm run bench -- floods` (BENCH_FLOODS=query-awareness,step1,awareness to pick).
 *
 * - query-awareness: 150 peers with large awareness states (BENCH_STATE_CHARS, 4,000 by
 *   default); one connection sends 2,000 one-byte query-awareness frames at once.
 * - step1: a pad of ~150,000 structs (800 authors' edits at random places, some deleted);
 *   one connection sends 3,000 sync step 1 frames holding the pad's full state vector.
 * - awareness: 20 peers; one connection sends large awareness states at 3,000 a second for
 *   3 s. Also reported: the awareness frames one peer received meanwhile.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType, SyncMessageType } from '../common/protocol.js';
import { awarenessFrameOf, syncFrame, updateFrameOf } from '../tests/helpers/clients.js';
import { typedNotesPad } from '../tests/helpers/notes-text.js';
import { startBenchServer, type RunningServer } from './load/servers.js';
import { probeHealthApart } from './lib/health-prober.js';
import { machine, prng } from './lib/stats.js';

/** JSON characters per awareness state: the server's cap (4 KiB) by default; BENCH_STATE_CHARS=8000 for the setup. */
const STATE_CHARS = Number(process.env.BENCH_STATE_CHARS ?? 4000);

interface Row {
  flood: string;
  worstHealthMs: number;
  healthChecks: number;
  attacker: string;
  note: string;
}

/** A state of about `bytes` JSON characters, shaped like a client's (name, colour, a big selection). */
function bigState(seed: number, bytes: number): unknown {
  const selection: string[] = [];
  for (let i = 0; JSON.stringify(selection).length < bytes - 120; i += 1) selection.push(`s${seed}x${i}`.padEnd(9, 'q'));
  return { user: { name: `peer ${seed}`, color: '#1971c2' }, board: { x: 1, y: 2, selection } };
}

/** Waits (at most a minute) until `/healthz` answered within 50 ms for 2 s in a row: the seed's background work is done. */
async function quiet(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  let quietSince = performance.now();
  while (Date.now() < deadline && performance.now() - quietSince < 2000) {
    const started = performance.now();
    await fetch(`http://127.0.0.1:${port}/healthz`);
    if (performance.now() - started > 50) quietSince = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Peer {
  ws: WebSocket;
  awarenessFrames: number;
  closed: Promise<{ code: number; reason: string }>;
}

async function openPeer(port: number, pad: string): Promise<Peer> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/${pad}`);
  const peer: Peer = {
    ws,
    awarenessFrames: 0,
    closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
  ws.on('message', (data: Buffer) => {
    if (data[0] === MessageType.awareness) peer.awarenessFrames += 1;
  });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
  return peer;
}

/**
 * Waits until the attacker is closed, or has the answer to a sync step 1 sent after its flood
 * (the server reads a connection's frames in order: `step2Before` more step 2 answers are due
 * first), or `timeoutMs`.
 */
async function settled(attacker: Peer, step2Before = 0, timeoutMs = 120_000): Promise<string> {
  let answers = 0;
  let answered = false;
  attacker.ws.on('message', (data: Buffer) => {
    if (data[0] === MessageType.sync && data[1] === SyncMessageType.step2) answered = (answers += 1) > step2Before;
  });
  if (attacker.ws.readyState === WebSocket.OPEN) attacker.ws.send(syncFrame(SyncMessageType.step1, new Uint8Array([0])));
  const deadline = Date.now() + timeoutMs;
  let closed: { code: number; reason: string } | null = null;
  void attacker.closed.then((c) => (closed = c));
  while (!answered && !closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  if (closed) return `closed ${(closed as { code: number }).code} "${(closed as { reason: string }).reason}"`;
  return answered ? 'served to the end' : 'still busy after the timeout';
}

async function queryAwareness(server: RunningServer): Promise<Row> {
  const pad = 'flood-query-awareness';
  const peers: Peer[] = [];
  for (let i = 0; i < 150; i += 1) {
    const peer = await openPeer(server.port, pad);
    peer.ws.send(awarenessFrameOf(10_000 + i, 1, bigState(i, STATE_CHARS)));
    peers.push(peer);
  }
  // Every peer has every state (the last one's broadcast reached the first peer).
  const deadline = Date.now() + 60_000;
  while (peers[0].awarenessFrames < 150 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const attacker = await openPeer(server.port, pad);
  await quiet(server.port);
  const health = await probeHealthApart(`http://127.0.0.1:${server.port}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const query = new Uint8Array([MessageType.queryAwareness]);
  for (let i = 0; i < 2000; i += 1) attacker.ws.send(query);
  const outcome = await settled(attacker);
  const { worstMs: worst, checks: count } = await health.stop();
  for (const peer of [...peers, attacker]) peer.ws.terminate();
  return {
    flood: `2,000 query-awareness frames, 150 peers with ${STATE_CHARS}-character states`,
    worstHealthMs: worst,
    healthChecks: count,
    attacker: outcome,
    note: `${attacker.awarenessFrames} awareness answers received`,
  };
}

async function stepOne(server: RunningServer): Promise<Row> {
  const pad = 'flood-step1';
  const structs = Number(process.env.BENCH_STRUCTS ?? 150_000);
  const doc = typedNotesPad(structs, 800, prng(structs));
  const seeder = await openPeer(server.port, pad);
  seeder.ws.send(updateFrameOf(Y.encodeStateAsUpdate(doc)));
  // The seed is stored once a fresh reader gets it back.
  const reader = await openPeer(server.port, pad);
  const size = Y.encodeStateAsUpdate(doc).length;
  let got = 0;
  reader.ws.on('message', (data: Buffer) => {
    if (data[0] === MessageType.sync && data[1] === SyncMessageType.step2) got = Math.max(got, data.length);
  });
  const deadline = Date.now() + 60_000;
  while (got < size / 2 && Date.now() < deadline) {
    reader.ws.send(syncFrame(SyncMessageType.step1, new Uint8Array([0])));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const attacker = await openPeer(server.port, pad);
  await quiet(server.port);
  const health = await probeHealthApart(`http://127.0.0.1:${server.port}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const frame = syncFrame(SyncMessageType.step1, Y.encodeStateVector(doc));
  const frames = Number(process.env.BENCH_STEP1_FRAMES ?? 3000);
  for (let i = 0; i < frames; i += 1) attacker.ws.send(frame);
  const outcome = await settled(attacker, frames);
  const { worstMs: worst, checks: count } = await health.stop();
  for (const peer of [seeder, reader, attacker]) peer.ws.terminate();
  return {
    flood: `${frames.toLocaleString('en')} sync step 1 frames, pad of ${doc.store.clients.size} clients, ${countStructs(doc)} structs`,
    worstHealthMs: worst,
    healthChecks: count,
    attacker: outcome,
    note: `state ${(size / 1e6).toFixed(1)} MB`,
  };
}

function countStructs(doc: Y.Doc): number {
  let n = 0;
  for (const structs of doc.store.clients.values()) n += structs.length;
  return n;
}

async function awarenessFlood(server: RunningServer): Promise<Row> {
  const pad = 'flood-awareness';
  const peers: Peer[] = [];
  for (let i = 0; i < 20; i += 1) peers.push(await openPeer(server.port, pad));
  const attacker = await openPeer(server.port, pad);
  await quiet(server.port);
  const health = await probeHealthApart(`http://127.0.0.1:${server.port}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = peers[0].awarenessFrames;
  const state = bigState(1, STATE_CHARS);
  let clock = 1;
  const started = performance.now();
  // 3,000 a second in 10 ms slices, for 3 s.
  while (performance.now() - started < 3000 && attacker.ws.readyState === WebSocket.OPEN) {
    const due = Math.floor(((performance.now() - started) / 1000) * 3000);
    for (; clock <= due; clock += 1) attacker.ws.send(awarenessFrameOf(77_777, clock, state));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const outcome = await settled(attacker);
  const { worstMs: worst, checks: count } = await health.stop();
  const relayed = peers[0].awarenessFrames - before;
  for (const peer of [...peers, attacker]) peer.ws.terminate();
  return {
    flood: `awareness, ${STATE_CHARS}-character states at 3,000/s for 3 s (${clock - 1} sent), 20 peers`,
    worstHealthMs: worst,
    healthChecks: count,
    attacker: outcome,
    note: `${relayed} awareness frames reached a peer`,
  };
}

const FLOODS: Record<string, (server: RunningServer) => Promise<Row>> = {
  'query-awareness': queryAwareness,
  step1: stepOne,
  awareness: awarenessFlood,
};

export async function run(): Promise<string> {
  const chosen = process.env.BENCH_FLOODS?.split(',') ?? Object.keys(FLOODS);
  const rows: Row[] = [];
  for (const name of chosen) {
    const flood = FLOODS[name];
    if (!flood) throw new Error(`unknown flood ${name}; known: ${Object.keys(FLOODS).join(', ')}`);
    // No load shedding: it would refuse the peers while the seed is applied (or on a busy
    // machine), and what is measured here is each connection's own limits.
    const server = await startBenchServer('gatherpad', { MAX_PAD_BYTES: String(16 * 1024 * 1024), OVERLOAD_LAG_MS: '0' });
    try {
      rows.push(await flood(server));
    } finally {
      await server.stop();
    }
  }
  return [
    `Floods from one connection (${machine()}; worst /healthz latency from the flood's start until it was dealt with, plus 1 s)`,
    '',
    '| flood | worst /healthz | checks | attacker | |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.flood} | ${r.worstHealthMs.toFixed(0)} ms | ${r.healthChecks} | ${r.attacker} | ${r.note} |`),
  ].join('\n');
}
