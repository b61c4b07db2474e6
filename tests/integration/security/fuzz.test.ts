/**
 * Protocol fuzzing against a running server, seeded and bounded in time:
 * - 100,000 random and mutated frames through the server's frame handling on a live room
 *   (the same path a socket's frames take, without a TCP round trip per frame);
 * - a few thousand over real sockets while two stock clients keep editing.
 * Nothing may crash or hang, every bad frame is a protocol violation (never an internal
 * error), and the honest clients still converge. A seed that ever failed is kept below as a
 * named regression test.
 */
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, MessageType, SyncMessageType } from '../../../common/protocol.js';
import { SocketCloseError } from '../../../server/sync/close-error.js';
import { receiveFrame, type FrameSender, type PacedWork } from '../../../server/sync/message-receiver.js';
import type { Room } from '../../../server/sync/room.js';
import { STORE_ORIGIN } from '../../../server/sync/types.js';
import { connectProvider, syncFrame, synced, waitUntil } from '../../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../../helpers/server.js';
import { notesText, readNotesText } from '../../helpers/notes-text.js';

/** Seeds that once found a bug; each runs as its own test. */
const REGRESSION_SEEDS: readonly number[] = [];

const FRAMES_IN_PROCESS = 100_000;
const FRAMES_OVER_SOCKETS = 3_000;
// A hang takes seconds; a GC pause on a loaded 2-core machine can take a few hundred ms.
const MAX_FRAME_MS = 1000;

/** Valid frames to mutate: updates of several kinds, step 1, awareness, query awareness. */
function corpus(): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = 900_001;
  const frames: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => frames.push(syncFrame(SyncMessageType.update, u)));
  const p = new Y.XmlElement('paragraph');
  doc.getXmlFragment('default').push([p]);
  const t = new Y.XmlText();
  p.push([t]);
  t.insert(0, 'hello fuzz', { bold: {} });
  t.delete(2, 3);
  doc.getMap('board').set(
    's',
    new Y.Map([
      ['x', 1],
      ['text', new Y.Text('sticky')],
    ]),
  );
  doc.getArray('chat').push([{ text: 'hi', time: 1, nested: [1, 2.5, null, true, { a: 'b' }] }]);
  doc.getMap('board').set('bin', new Uint8Array([1, 2, 3]));
  frames.push(syncFrame(SyncMessageType.step1, Y.encodeStateVector(doc)));
  frames.push(syncFrame(SyncMessageType.step2, Y.encodeStateAsUpdate(doc)));
  const awareness = encoding.createEncoder();
  encoding.writeVarUint(awareness, 1);
  encoding.writeVarUint(awareness, 900_001);
  encoding.writeVarUint(awareness, 1);
  encoding.writeVarString(awareness, JSON.stringify({ user: { name: 'Fuzz', color: '#123456' } }));
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, MessageType.awareness);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(awareness));
  frames.push(encoding.toUint8Array(frame), new Uint8Array([MessageType.queryAwareness]));
  return frames;
}

/** One frame from the generator: random bytes, or a valid frame mutated in one of several ways. */
function nextFrame(gen: prng.PRNG, base: readonly Uint8Array[]): Uint8Array {
  const choice = prng.uint32(gen, 0, 9);
  if (choice === 0) return prng.uint8Array(gen, prng.uint32(gen, 0, 64));
  const source = base[prng.uint32(gen, 0, base.length - 1)];
  const frame = new Uint8Array(source);
  switch (choice) {
    case 1: // bit flips
      for (let i = 0, n = prng.uint32(gen, 1, 4); i < n && frame.length > 0; i += 1)
        frame[prng.uint32(gen, 0, frame.length - 1)] ^= 1 << prng.uint32(gen, 0, 7);
      return frame;
    case 2: // truncation
      return frame.subarray(0, prng.uint32(gen, 0, Math.max(0, frame.length - 1)));
    case 3: {
      // an inflated varint (a huge declared count or length) at a random position
      const at = prng.uint32(gen, 0, frame.length);
      return Uint8Array.from([...frame.subarray(0, at), 0xff, 0xff, 0xff, 0xff, 0x0f, ...frame.subarray(at)]);
    }
    case 4: // a random byte overwritten
      if (frame.length > 0) frame[prng.uint32(gen, 0, frame.length - 1)] = prng.uint32(gen, 0, 255);
      return frame;
    case 5: // random bytes appended
      return Uint8Array.from([...frame, ...prng.uint8Array(gen, prng.uint32(gen, 1, 16))]);
    case 6: // the message type changed
      frame[0] = prng.uint32(gen, 0, 130);
      return frame;
    default: // the valid frame as it is
      return frame;
  }
}

class FuzzPeer implements FrameSender {
  static next = 1_000_000;
  readonly id = FuzzPeer.next++;
  readonly author = 'a.fuzz';
  readonly origin = Object.freeze({ source: 'client' as const, connectionId: this.id, author: 'a.fuzz' });
  readonly wantsAcks = true;
  readonly canWrite = true;
  readonly awarenessClients = new Set<number>();
  writesReceived = 0;
  closed = false;
  send(): void {}
  sendShared(): void {}
  close(): void {
    this.closed = true;
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

interface FuzzResult {
  frames: number;
  violations: number;
  unexpected: string[];
  slowest: number;
}

async function fuzzRoom(room: Room, seed: number, count: number, deadlineMs: number): Promise<FuzzResult> {
  const gen = prng.create(seed);
  const base = corpus();
  let peer = new FuzzPeer();
  room.join(peer);
  const result: FuzzResult = { frames: 0, violations: 0, unexpected: [], slowest: 0 };
  const deadline = performance.now() + deadlineMs;
  for (let i = 0; i < count && performance.now() < deadline; i += 1) {
    const frame = nextFrame(gen, base);
    const started = performance.now();
    try {
      receiveFrame(room, peer, frame);
    } catch (err) {
      if (err instanceof SocketCloseError) result.violations += 1;
      else result.unexpected.push(`seed ${seed} frame ${i}: ${(err as Error).stack ?? String(err)}`);
      // The real connection is closed here; a fresh one takes its place.
      room.leave(peer);
      peer = new FuzzPeer();
      room.join(peer);
    }
    result.slowest = Math.max(result.slowest, performance.now() - started);
    result.frames += 1;
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
  room.leave(peer);
  return result;
}

describe('protocol fuzzing', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcess({
      MAX_PAD_BYTES: String(64 * 1024 * 1024),
      MAX_UPDATES_PER_SECOND: '100000',
      MAX_BYTES_PER_SECOND: String(1 << 30),
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it(`survives ${FRAMES_IN_PROCESS.toLocaleString('en')} random and mutated frames on a live room`, async () => {
    const room = await server.app.rooms.get('fuzz-in-process');
    const result = await fuzzRoom(room, 20261126, FRAMES_IN_PROCESS, 240_000);
    expect(result.unexpected).toEqual([]);
    expect(result.frames).toBe(FRAMES_IN_PROCESS);
    expect(result.violations).toBeGreaterThan(1000);
    expect(result.slowest).toBeLessThan(MAX_FRAME_MS);
    // The room still works for honest clients, and what it holds is what it stored.
    const a = connectProvider(server.wsUrl, 'fuzz-in-process');
    const b = connectProvider(server.wsUrl, 'fuzz-in-process');
    await Promise.all([synced(a), synced(b)]);
    // The fuzz left its own content in the notes: the honest edit is a paragraph of its own.
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('still converging')]);
    a.doc.getXmlFragment('default').push([paragraph]);
    await waitUntil(() => b.doc.getXmlFragment('default').toString().includes('still converging'), 'honest edit');
    await waitUntil(() => room.isDurable, 'all committed');
    const reloaded = new Y.Doc();
    const stored = await server.app.store.loadPad('fuzz-in-process');
    Y.transact(reloaded, () => {
      if (stored.snapshot) Y.applyUpdate(reloaded, stored.snapshot, STORE_ORIGIN);
      for (const u of stored.tail) Y.applyUpdate(reloaded, u, STORE_ORIGIN);
    });
    expect(Y.encodeStateVector(reloaded)).toEqual(Y.encodeStateVector(room.currentDoc()));
    // Same deletions too, and the same text.
    expect(Y.equalSnapshots(Y.snapshot(reloaded), Y.snapshot(room.currentDoc()))).toBe(true);
    expect(reloaded.getXmlFragment('default').toString()).toBe(room.currentDoc().getXmlFragment('default').toString());
    a.destroy();
    b.destroy();
  }, 300_000);

  it(`survives ${FRAMES_OVER_SOCKETS.toLocaleString('en')} fuzzed frames over real sockets while clients edit`, async () => {
    const a = connectProvider(server.wsUrl, 'fuzz-sockets');
    const b = connectProvider(server.wsUrl, 'fuzz-sockets');
    await Promise.all([synced(a), synced(b)]);
    const gen = prng.create(4242);
    const base = corpus();
    const closeCodes = new Map<number, number>();
    let sent = 0;
    const deadline = performance.now() + 120_000;
    const worker = async () => {
      while (sent < FRAMES_OVER_SOCKETS && performance.now() < deadline) {
        const ws = new WebSocket(`${server.wsUrl}/fuzz-sockets`);
        const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
        ws.on('error', () => undefined);
        await new Promise((resolve) => ws.once('open', resolve));
        for (let i = 0; i < 20 && ws.readyState === WebSocket.OPEN && sent < FRAMES_OVER_SOCKETS; i += 1) {
          ws.send(nextFrame(gen, base));
          sent += 1;
          if (i % 5 === 4) notesText(a.doc).insert(0, 'a');
        }
        ws.close();
        const code = await closed;
        closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(sent).toBe(FRAMES_OVER_SOCKETS);
    expect(closeCodes.get(CloseCode.internalError) ?? 0).toBe(0);
    notesText(b.doc).insert(0, 'b');
    await waitUntil(
      () => readNotesText(a.doc) === readNotesText(b.doc) && readNotesText(b.doc).length > 1,
      'honest clients converge',
      20_000,
    );
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    a.destroy();
    b.destroy();
  }, 300_000);

  it.each(REGRESSION_SEEDS)('regression seed %i', async (seed) => {
    const room = await server.app.rooms.get(`fuzz-seed-${seed}`);
    const result = await fuzzRoom(room, seed, 5_000, 60_000);
    expect(result.unexpected).toEqual([]);
    expect(result.slowest).toBeLessThan(MAX_FRAME_MS);
  });
});
