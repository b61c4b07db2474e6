/**
 * The contract of server/sync/ws-internals.ts: what the sync server relies on in `ws` beyond
 * its documented API, checked on a real `ws` server and client. A failure here after an upgrade
 * of `ws` means the adapter (and the fan-out, corking and refusal that use it) must change.
 */
import { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { CloseCode } from '../../common/protocol.js';
import { closeSocket } from '../../server/sync/close-error.js';
import { socketOf, websocketBinaryFrames, withCloseTimeout, writeFrames } from '../../server/sync/ws-internals.js';
import { waitUntil } from '../helpers/clients.js';

const CLOSE_TIMEOUT_MS = 300;

describe('ws internals', () => {
  let wss: WebSocketServer;
  let server: WebSocket;
  let client: WebSocket;
  const received: Buffer[] = [];

  beforeEach(async () => {
    received.length = 0;
    wss = new WebSocketServer(withCloseTimeout({ host: '127.0.0.1', port: 0, perMessageDeflate: false }, CLOSE_TIMEOUT_MS));
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const { port } = wss.address() as { port: number };
    client = new WebSocket(`ws://127.0.0.1:${port}`);
    client.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(true);
      received.push(data);
    });
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    server = await accepted;
  });

  afterEach(async () => {
    client.terminate();
    server.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });

  const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i + seed) % 251);

  it("finds the net.Socket under a server's WebSocket: the one connected to the client", () => {
    const socket = socketOf(server);
    expect(socket).toBeInstanceOf(Socket);
    expect(socket!.destroyed).toBe(false);
    expect(socket!.remotePort).toBe(socketOf(client)!.localPort);
  });

  it('writes frames to the socket after the ones ws sent before, and the client reads them as messages', async () => {
    const payloads = [bytes(10, 1), bytes(200, 2), bytes(70_000, 3), bytes(3, 4)];
    server.send(payloads[0]);
    expect(writeFrames(server, websocketBinaryFrames([payloads[1], payloads[2]]))).toBe(true);
    server.send(payloads[3]);
    await waitUntil(() => received.length === 4, 'four messages');
    received.forEach((message, i) => expect(Buffer.from(payloads[i]).equals(message)).toBe(true));
  });

  it('writes what ws sends to the socket at once, and counts it and our frames in bufferedAmount', async () => {
    const socket = socketOf(server)!;
    socket.cork();
    server.send(bytes(1000, 5));
    // Held by the corked socket, not in a queue of ws's own.
    expect(socket.writableLength).toBeGreaterThanOrEqual(1000);
    expect(server.bufferedAmount).toBeGreaterThanOrEqual(1000);
    writeFrames(server, websocketBinaryFrames([bytes(5000, 6)]));
    expect(server.bufferedAmount).toBeGreaterThanOrEqual(6000);
    socket.uncork();
    await waitUntil(() => received.length === 2, 'both messages');
    expect(received.map((m) => m.length)).toEqual([1000, 5000]);
  });

  it('writes nothing once the socket is closed', async () => {
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    client.close();
    await closed;
    expect(writeFrames(server, websocketBinaryFrames([bytes(10, 7)]))).toBe(false);
  });

  it('delivers the close frame, code and reason, when the socket is ended right after close', async () => {
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    server.pause();
    closeSocket(server, CloseCode.padFull, 'refused');
    socketOf(server)!.end();
    expect(await closed).toEqual({ code: CloseCode.padFull, reason: 'refused' });
  });

  it('gives up on a client that never answers the close frame after closeTimeout, not after 30 s', async () => {
    socketOf(client)!.pause();
    const started = Date.now();
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    server.close(CloseCode.normal, 'bye');
    await closed;
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(CLOSE_TIMEOUT_MS - 50);
    expect(took).toBeLessThan(10_000);
  });
});
