/**
 * What the sync server relies on in `ws` (8.x) beyond its documented API, in one place; the
 * contract test (tests/integration/ws-internals.test.ts) runs a real `ws` server and client and
 * fails if an upgrade changes any of it.
 *
 * - A WebSocket's connection is its private `_socket` (a `net.Socket`). Corking it groups the
 *   frames one tick sends into one write; a fan-out batch, framed once for all peers, is
 *   written to it directly; a refused peer's socket is ended after the close frame.
 * - Without per-message compression, `send` and `close` write their frame to that socket at
 *   once (nothing waits in `ws`'s own queue), so bytes written to the socket afterwards reach
 *   the peer after them, and `bufferedAmount` counts what waits in the socket, ours included.
 * - The server option `closeTimeout` (how long a closed socket waits for the peer's close
 *   frame) is in ws 8.23 but not in @types/ws.
 */
import type { Socket } from 'node:net';
import WebSocket, { type ServerOptions } from 'ws';

/** The connection under `ws`, once it has one (undefined before the upgrade completes). */
export function socketOf(ws: WebSocket): Socket | undefined {
  return (ws as unknown as { _socket?: Socket | null })._socket ?? undefined;
}

/**
 * Writes frames made by `websocketBinaryFrames` to `ws`'s connection, after every frame `ws`
 * has sent so far. Returns false (writing nothing) when the socket is not open.
 */
export function writeFrames(ws: WebSocket, wire: Buffer): boolean {
  const socket = socketOf(ws);
  if (ws.readyState !== WebSocket.OPEN || !socket || socket.destroyed) return false;
  socket.write(wire);
  return true;
}

/** `ServerOptions` with `closeTimeout`, ms (ws's default is 30 s). */
export function withCloseTimeout(options: ServerOptions, closeTimeoutMs: number): ServerOptions {
  return { ...options, ...({ closeTimeout: closeTimeoutMs } as object) };
}

/** Unmasked, final, binary WebSocket frames (RFC 6455 5.2), as a server sends them, in one buffer. */
export function websocketBinaryFrames(payloads: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const payload of payloads) size += headerLength(payload.length) + payload.length;
  const wire = Buffer.allocUnsafe(size);
  let at = 0;
  for (const payload of payloads) {
    const length = payload.length;
    wire[at] = 0x82;
    if (length < 126) {
      wire[at + 1] = length;
    } else if (length < 65_536) {
      wire[at + 1] = 126;
      wire.writeUInt16BE(length, at + 2);
    } else {
      wire[at + 1] = 127;
      wire.writeBigUInt64BE(BigInt(length), at + 2);
    }
    at += headerLength(length);
    wire.set(payload, at);
    at += length;
  }
  return wire;
}

const headerLength = (length: number) => (length < 126 ? 2 : length < 65_536 ? 4 : 10);
