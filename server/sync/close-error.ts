/**
 * The one error of the sync path: whatever refuses a peer's frame (the frame reader, the rate
 * limits, the update and awareness checks, the room) throws a `SocketCloseError`, and the
 * connection that handled the frame closes with its code and reason (`closeSocket`); the room
 * and the other peers carry on. The reasons come from `CloseReason` in common/protocol.ts.
 */
import type WebSocket from 'ws';
import type { CloseCode } from '../../common/protocol.js';

export class SocketCloseError extends Error {
  constructor(
    readonly closeCode: CloseCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SocketCloseError';
  }
}

/** Bytes of reason a close frame holds (RFC 6455 5.5: 125 bytes of payload, 2 of them the code). */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * Closes `ws` with `code` and `reason`, the reason cut to what a close frame holds (at a
 * character boundary): `ws` throws on a longer one, and a reason can quote the client's text.
 */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  ws.close(code, fitCloseReason(reason));
}

export function fitCloseReason(reason: string): string {
  // Three UTF-8 bytes at most per UTF-16 unit: a short string fits without encoding it.
  if (reason.length * 3 <= MAX_CLOSE_REASON_BYTES) return reason;
  const room = new Uint8Array(MAX_CLOSE_REASON_BYTES);
  const { read } = new TextEncoder().encodeInto(reason, room);
  return reason.slice(0, read);
}
