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
import { notesText } from './notes-text.js';

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

/** An update that inserts `text` into the notes' shared paragraph of a fresh doc (the paragraph included). */
export function textUpdate(text: string, clientID?: number): Uint8Array {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  notesText(doc).insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** An awareness frame speaking for `client`, as a hostile client would craft it. */
export function awarenessFrameOf(client: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, client);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return encoding.toUint8Array(encoder);
}

/** The client ids an awareness frame (message type 1) speaks for. */
export function awarenessClientsOf(frame: Uint8Array): number[] {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const clients: number[] = [];
  const count = decoding.readVarUint(inner);
  for (let i = 0; i < count; i += 1) {
    clients.push(decoding.readVarUint(inner));
    decoding.readVarUint(inner);
    decoding.readVarString(inner);
  }
  return clients;
}
