/**
 * Keepalive: every connection is pinged once per interval, the pings spread over the interval
 * rather than sent all at once, and a client that stops answering them is dropped while the
 * others stay.
 *
 * The server runs in this process with its intervals faked (`vi.useFakeTimers` before it starts),
 * so the test moves its clock one keepalive slot at a time; the pings and pongs themselves travel
 * over real sockets, and the test waits for them to arrive.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SyncMessageType } from '../../common/protocol.js';
import { openRaw, syncFrame, waitUntil, type RawSocket } from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

const KEEPALIVE_MS = 1000;
/** The keepalive pings one slot of connections every 100 ms. */
const SLOT_MS = 100;
const SLOTS = KEEPALIVE_MS / SLOT_MS;
const HELLO = syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc()));

/** Resolves once the server has read everything this socket sent before (pongs included). */
function roundTrip(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    ws.once('pong', () => resolve());
    ws.ping();
  });
}

describe('keepalive', () => {
  let server: InProcessServer;
  const sockets: RawSocket[] = [];

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    server = await startInProcess({ KEEPALIVE_MS: String(KEEPALIVE_MS) });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.ws.close();
    await server?.close();
    vi.useRealTimers();
  });

  it('pings each connection once per interval, spread over the interval, and keeps those that answer', async () => {
    const pings = new Map<RawSocket, number>();
    const total = () => [...pings.values()].reduce((sum, n) => sum + n, 0);
    for (let i = 0; i < 30; i += 1) {
      const socket = await openRaw(`${server.wsUrl}/keepalive-spread`);
      socket.ws.send(HELLO);
      pings.set(socket, 0);
      socket.ws.on('ping', () => pings.set(socket, (pings.get(socket) ?? 0) + 1));
      sockets.push(socket);
    }
    await waitUntil(() => server.app.rooms.peek('keepalive-spread')?.peers.size === 30, 'all 30 in the room');

    for (let interval = 1; interval <= 3; interval += 1) {
      for (let slot = 1; slot <= SLOTS; slot += 1) {
        const before = total();
        vi.advanceTimersByTime(SLOT_MS);
        // A tenth of the connections per slot: all at once would ping 30 in the first slot.
        const expected = before + 30 / SLOTS;
        await waitUntil(() => total() >= expected, `the pings of slot ${slot} in interval ${interval}`);
        expect(total()).toBe(expected);
      }
      for (const socket of sockets) expect(pings.get(socket)).toBe(interval);
      await Promise.all(sockets.map((socket) => roundTrip(socket.ws)));
    }
    // Every connection answered, so none was dropped at its next ping.
    expect(server.app.rooms.peek('keepalive-spread')?.peers.size).toBe(30);
    for (const socket of sockets) expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('drops a client that stops answering pings, and only that one', async () => {
    const silent = new WebSocket(`${server.wsUrl}/keepalive-silent`, { autoPong: false });
    let silentPings = 0;
    silent.on('ping', () => (silentPings += 1));
    let closedWith: number | null = null;
    silent.on('close', (code) => (closedWith = code));
    await new Promise<void>((resolve, reject) => {
      silent.once('open', () => resolve());
      silent.once('error', reject);
    });
    silent.send(HELLO);
    const answering = await openRaw(`${server.wsUrl}/keepalive-silent`);
    answering.ws.send(HELLO);
    sockets.push(answering);
    let answeringPings = 0;
    answering.ws.on('ping', () => (answeringPings += 1));

    // Pinged within one interval...
    vi.advanceTimersByTime(KEEPALIVE_MS);
    await waitUntil(() => silentPings === 1 && answeringPings === 1, 'a ping on both');
    await roundTrip(answering.ws);
    expect(silent.readyState).toBe(WebSocket.OPEN);
    // ...found unanswered at the next ping, and terminated; the other is pinged again.
    vi.advanceTimersByTime(KEEPALIVE_MS);
    await waitUntil(() => closedWith !== null, 'the silent client dropped');
    expect(closedWith).toBe(1006);
    await waitUntil(() => answeringPings === 2, 'a second ping on the answering client');
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
  });
});
