/**
 * Keepalive: every connection is pinged once per interval, the pings spread over the interval
 * rather than sent all at once, and a client that stops answering them is dropped while the
 * others stay.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncMessageType } from '../../common/protocol.js';
import { openRaw, syncFrame, waitUntil, type RawSocket } from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

const KEEPALIVE_MS = 1000;
const HELLO = syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc()));

describe('keepalive', () => {
  let server: InProcessServer;
  const sockets: RawSocket[] = [];

  beforeAll(async () => {
    server = await startInProcess({ KEEPALIVE_MS: String(KEEPALIVE_MS) });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.ws.close();
    await server.close();
  });

  it('pings each connection once per interval, spread over the interval, and keeps those that answer', async () => {
    const firstPing = new Map<RawSocket, number>();
    const pings = new Map<RawSocket, number>();
    for (let i = 0; i < 30; i += 1) {
      const socket = await openRaw(`${server.wsUrl}/keepalive-spread`);
      socket.ws.send(HELLO);
      socket.ws.on('ping', () => {
        if (!firstPing.has(socket)) firstPing.set(socket, performance.now());
        pings.set(socket, (pings.get(socket) ?? 0) + 1);
      });
      sockets.push(socket);
    }
    await waitUntil(() => firstPing.size === 30, 'a ping on every connection', 3 * KEEPALIVE_MS);
    const times = [...firstPing.values()];
    // All at once would put every first ping within a few ms of the others.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(KEEPALIVE_MS / 2);

    await new Promise((resolve) => setTimeout(resolve, 2 * KEEPALIVE_MS));
    for (const socket of sockets) {
      expect(socket.ws.readyState).toBe(WebSocket.OPEN);
      // Once per interval: two or three more in two intervals, never a burst.
      expect(pings.get(socket)).toBeGreaterThanOrEqual(2);
      expect(pings.get(socket)).toBeLessThanOrEqual(4);
    }
  });

  it('drops a client that stops answering pings, and only that one', async () => {
    const silent = new WebSocket(`${server.wsUrl}/keepalive-silent`, { autoPong: false });
    const closed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      silent.once('open', () => resolve());
      silent.once('error', reject);
    });
    silent.send(HELLO);
    const answering = await openRaw(`${server.wsUrl}/keepalive-silent`);
    answering.ws.send(HELLO);
    sockets.push(answering);

    const started = performance.now();
    // Pinged within one interval, found unanswered at the next ping, and terminated.
    expect(await closed).toBe(1006);
    expect(performance.now() - started).toBeLessThan(2 * KEEPALIVE_MS + 500);
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
  });
});
