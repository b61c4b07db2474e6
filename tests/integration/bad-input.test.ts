/**
 * Bad input closes only the connection that sent it, with a code and a reason; nothing it sent
 * is stored, and every other client carries on.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, MessageType, SyncMessageType } from '../../common/protocol.js';
import {
  connectProvider,
  openRaw,
  syncFrame,
  synced,
  textUpdate,
  updateFrameOf,
  waitUntil,
  type ProviderClient,
} from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';
import { notesText, readNotesText } from '../helpers/notes-text.js';

const MAX_MESSAGE_BYTES = 64 * 1024;

describe('bad input', () => {
  let server: InProcessServer;
  const clients: ProviderClient[] = [];

  beforeAll(async () => {
    server = await startInProcess({ MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES), MAX_BUFFERED_BYTES: String(256 * 1024) });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.close();
  });

  /** Two well-behaved clients on `padId` that must keep converging whatever else happens. */
  async function bystanders(padId: string) {
    const a = connectProvider(server.wsUrl, padId);
    const b = connectProvider(server.wsUrl, padId);
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    return {
      async stillConverge(text: string) {
        notesText(a.doc).insert(0, text);
        await waitUntil(() => readNotesText(b.doc).includes(text), `bystander sees "${text}"`);
      },
    };
  }

  /** Sends an upgrade request with `path` exactly as given (a WebSocket client would normalise it). */
  function upgradeStatus(path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(server.baseUrl);
      const req = request({
        host: url.hostname,
        port: url.port,
        path,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('upgrade', () => reject(new Error(`upgrade to ${path} was accepted`)));
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  function httpGet(path: string): Promise<{ status: number; type: string; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(server.baseUrl);
      const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it.each(['/ws/bad!id', '/ws/-leading-dash', '/ws/%2e%2e', '/ws/..%2fetc', `/ws/${'a'.repeat(101)}`, '/ws/caf%C3%A9', '/ws/a%00b'])(
    'refuses the upgrade for %s with 400',
    async (path) => {
      const { status, body } = await upgradeStatus(path);
      expect(status).toBe(400);
      expect(JSON.parse(body).error.code).toBe('invalid_pad_id');
    },
  );

  it.each(['/p/bad!id', '/p/%2e%2e', '/p/a%00b', `/p/${'x'.repeat(120)}`])(
    'refuses the page %s with a 400 page that explains, and the API with JSON',
    async (path) => {
      const res = await httpGet(path);
      expect(res.status).toBe(400);
      expect(res.type).toContain('text/html');
      expect(res.body).toContain('<h1>This pad name cannot be used</h1>');
      const api = await httpGet(path.replace('/p/', '/api/v1/pads/'));
      expect(api.status).toBe(400);
      expect(JSON.parse(api.body).error.code).toBe('invalid_pad_id');
    },
  );

  it('redirects a pad page to its canonical lowercase id', async () => {
    const res = await new Promise<{ status: number; location?: string }>((resolve) => {
      const url = new URL(server.baseUrl);
      request({ host: url.hostname, port: url.port, path: '/p/ACC-Pad' }, (r) => {
        r.resume();
        resolve({ status: r.statusCode ?? 0, location: r.headers.location });
      }).end();
    });
    expect(res).toEqual({ status: 301, location: '/p/acc-pad' });
  });

  const frames: [string, Uint8Array | string, number][] = [
    ['a truncated varint', new Uint8Array([0x80]), CloseCode.protocolError],
    ['a sync frame without its payload', new Uint8Array([MessageType.sync, SyncMessageType.update]), CloseCode.protocolError],
    ['a payload longer than the frame', new Uint8Array([MessageType.sync, SyncMessageType.update, 50, 1, 2]), CloseCode.protocolError],
    ['an unknown message type', new Uint8Array([42, 0]), CloseCode.unsupportedData],
    ['an unknown sync sub-type', syncFrame(9, new Uint8Array([0])), CloseCode.unsupportedData],
    ['an update that does not decode', syncFrame(SyncMessageType.update, new Uint8Array([1, 200, 3, 4])), CloseCode.invalidPayload],
    ['a state vector that does not decode', syncFrame(SyncMessageType.step1, new Uint8Array([5, 1])), CloseCode.invalidPayload],
    ['an awareness update that does not decode', new Uint8Array([MessageType.awareness, 3, 9, 9, 9]), CloseCode.invalidPayload],
    ['a text frame', 'hello', CloseCode.unsupportedData],
  ];

  it.each(frames)('closes a connection that sends %s', async (name, frame, code) => {
    const padId = `bad-${name.replace(/[^a-z]+/g, '-')}`.slice(0, 60).replace(/-$/, '');
    const others = await bystanders(padId);
    const seqBefore = server.app.rooms.peek(padId)?.progress.lastSeq ?? 0;
    const raw = await openRaw(`${server.wsUrl}/${padId}`);
    raw.ws.send(frame);
    const closed = await raw.closed;
    expect(closed.code).toBe(code);
    expect(closed.reason.length).toBeGreaterThan(0);
    expect(server.app.rooms.peek(padId)?.progress.lastSeq ?? 0).toBe(seqBefore);
    await others.stillConverge(`after ${name}`);
  });

  it('closes an oversized frame with 1009 and carries on', async () => {
    const others = await bystanders('oversized');
    const raw = await openRaw(`${server.wsUrl}/oversized`);
    raw.ws.send(updateFrameOf(textUpdate('x'.repeat(MAX_MESSAGE_BYTES * 2))));
    expect((await raw.closed).code).toBe(CloseCode.messageTooBig);
    expect(server.app.rooms.peek('oversized')?.progress.lastSeq).toBe(0);
    await others.stillConverge('after an oversized frame');
  });

  it('drops a client that stops reading once its send buffer passes the cap', async () => {
    const others = await bystanders('slow-reader');
    const slow = await openRaw(`${server.wsUrl}/slow-reader`);
    await waitUntil(() => server.app.rooms.peek('slow-reader')?.peers.size === 3, 'slow reader joined');
    // Stop reading: the kernel buffers fill, then the server's send buffer grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const writer = await openRaw(`${server.wsUrl}/slow-reader`);
    const chunk = 'y'.repeat(48 * 1024);
    for (let i = 0; i < 400 && server.app.rooms.peek('slow-reader')!.peers.size > 3; i += 1) {
      writer.ws.send(updateFrameOf(textUpdate(chunk, 90_000 + i)));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await waitUntil(() => server.app.rooms.peek('slow-reader')!.peers.size === 3, 'slow reader dropped', 30_000);
    writer.ws.close();
    await others.stillConverge('after a slow reader');
  });
});
