/**
 * The Gatherpad wire protocol, in one place.
 *
 * A pad's WebSocket (`/ws/<padId>`) speaks the y-websocket protocol unchanged: every frame is
 * binary and starts with a varuint message type.
 *
 *   0 sync            y-protocols/sync: step 1 (state vector), step 2 (missing update), update
 *   1 awareness       y-protocols/awareness update (carets, names)
 *   2 auth            y-protocols/auth: permission denied + reason (server -> client only)
 *   3 query awareness the peer asks for every awareness state it knows
 *
 * Handshake: on open both sides send sync step 1; each answers the other's step 1 with step 2;
 * afterwards both send updates. The server answers step 1 only with state that is committed.
 *
 * Gatherpad's own messages use numbers from 100 up and are sent only to clients that ask for
 * them with the `?ack=1` query parameter (a stock client never sees a type it does not know):
 *
 *   100 saved         varuint n: the first n write frames (sync step 2 or update) this client
 *                     sent over this connection are committed to storage.
 *   101 ping          client -> server, no body: "are you there?" A client sends it when the
 *                     server has been silent for a while; a stock client never does.
 *   102 pong          server -> client, no body: the answer to ping, sent at once. A browser
 *                     cannot see WebSocket-level pings, so this is how it notices a stalled
 *                     server within seconds instead of its provider's 30 s watchdog.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  saved: 100,
  ping: 101,
  pong: 102,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;

export const AuthMessageType = {
  permissionDenied: 0,
} as const;

/** Query parameter a client sets (`ack=1`) to receive `saved` messages. */
export const ACK_PARAM = 'ack';

/**
 * WebSocket close codes the server uses. 1xxx as in RFC 6455; 44xx mirror HTTP 4xx and tell
 * the stock y-websocket client not to reconnect (its default `shouldReconnect`).
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
  forbidden: 4403,
  /** A write past the pad's size cap: retrying sends it again, so a stock client stops. */
  padFull: 4413,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * True when a frame carries document content from its sender (sync step 2 or update). Both
 * sides count these frames the same way, which is what `saved` acknowledgements refer to.
 * Message types and sync sub-types below 128 encode as one byte each.
 */
export function isWriteFrame(frame: Uint8Array): boolean {
  return frame.length >= 2 && frame[0] === MessageType.sync && (frame[1] === SyncMessageType.step2 || frame[1] === SyncMessageType.update);
}

export function writeSaved(encoder: encoding.Encoder, committedWrites: number): void {
  encoding.writeVarUint(encoder, MessageType.saved);
  encoding.writeVarUint(encoder, committedWrites);
}

/** Reads the body of a `saved` message (after its type). */
export function readSaved(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder);
}

export function encodeSaved(committedWrites: number): Uint8Array {
  const encoder = encoding.createEncoder();
  writeSaved(encoder, committedWrites);
  return encoding.toUint8Array(encoder);
}

/** A message of our own with no body (ping, pong). */
export function encodeBare(type: typeof MessageType.ping | typeof MessageType.pong): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  return encoding.toUint8Array(encoder);
}

export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.auth);
  encoding.writeVarUint(encoder, AuthMessageType.permissionDenied);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}
