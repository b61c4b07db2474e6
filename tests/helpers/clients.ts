/**
 * Clients for integration tests: the stock y-websocket provider in Node (with `ws` as its
 * WebSocket), and raw `ws` sockets for frames a stock client would never send.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType, SyncMessageType } from '../../common/protocol.js';

export interface ProviderClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function connectProvider(
  wsUrl: string,
  padId: string,
  opts: { params?: Record<string, string>; WebSocketPolyfill?: typeof WebSocket } = {},
): ProviderClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, padId, doc, {
    WebSocketPolyfill: (opts.WebSocketPolyfill ?? WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: opts.params,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function synced(client: ProviderClient): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve) => client.provider.once('sync', () => resolve()));
}

/**
 * Polls `check` every `intervalMs` until it holds; fails with `what` after `timeoutMs`, so it
 * checks at most about `timeoutMs / intervalMs` times. `check` may be async (an HTTP request: give
 * it a longer interval), `what` a function (to tell the last state seen in the failure).
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 10_000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface RawSocket {
  ws: WebSocket;
  frames: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
}

/** A plain `ws` socket that records every frame it receives and how it was closed. */
export async function openRaw(url: string): Promise<RawSocket> {
  const ws = new WebSocket(url);
  const frames: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, closed };
}

export function syncFrame(subtype: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const updateFrameOf = (update: Uint8Array) => syncFrame(SyncMessageType.update, update);

/** The message type of a frame and, for sync frames, the sub-type. */
export function frameKind(frame: Uint8Array): { type: number; subtype: number | null } {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  return { type, subtype: type === MessageType.sync ? decoding.readVarUint(decoder) : null };
}

/** An update that inserts `text` into a fresh doc's XmlFragment-free Y.Text `t`. */
export function textUpdate(text: string, clientID?: number): Uint8Array {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  doc.getText('t').insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
