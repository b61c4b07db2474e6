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
  /** A write past the pad's size cap: retrying sends it again, so a stock client stops. */
  padFull: 4413,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * Every reason the server closes a pad's socket with, in one place; the code each goes with is
 * in brackets. Sentences with a capital are meant for people (a page may show them); the
 * lower-case ones name what a client did wrong. A close frame holds at most 123 bytes of
 * reason: the server cuts longer ones (a refused type's name is the client's own text).
 */
export const CloseReason = {
  /** [1001] The server shuts down; a stock client reconnects to the next one. */
  restarting: 'The server is restarting; reconnecting.',
  /** [1013] The event loop lags: new sockets are shed before any lookup. */
  overloaded: 'The server is too busy right now; try again shortly.',
  /** [1013] The access lookup for a new socket could not reach the store. */
  storageUnreachable: 'The server cannot reach its storage; try again shortly.',
  /** [1013] */
  padLoadFailed: 'The pad could not be loaded; try again shortly.',
  /** [1013] The store refused a commit: the room is dropped, its peers reconnect. */
  commitFailed: 'Storage is unavailable; your changes were not saved. Reconnecting.',
  /** [1000] */
  padDeleted: 'This pad was deleted.',
  /** [1000] An idle room is unloaded (no peer is left to see it). */
  unloaded: 'unloaded',
  /** [1011] */
  internalError: 'internal error',
  /** [1008] */
  handshakeTimeout: 'no sync handshake in time',
  /** [1003] */
  textFrame: 'text frames are not part of the protocol',
  /** [1013] */
  tooManyWhileLoading: 'too many messages while the pad loads',
  /** [1008] */
  tooManyUpdates: 'too many updates; slow down and reconnect',
  /** [1008] */
  tooManySyncRequests: 'too many sync requests; reconnect later',
  /** [1008] */
  tooManyAwareness: 'too many awareness messages; slow down and reconnect',
  /** [1008] The connection's CPU budget is spent. */
  overBudget: 'this connection used too much server time; reconnect later',
  /** [1002] */
  malformedFrame: 'malformed or truncated frame',
  /** [1003] */
  unknownMessageType: (type: number) => `unknown message type ${type}`,
  /** [1003] */
  unknownSyncMessageType: (subtype: number) => `unknown sync message type ${subtype}`,
  /** [1007] */
  invalidStateVector: 'invalid state vector',
  /** [1007] */
  invalidAwareness: 'invalid awareness update',
  /** [1007] Yjs failed on an update that passed the checks. */
  updateNotApplied: 'update could not be applied',
  /** [1008] */
  foreignClientId: 'update uses a client id that belongs to another author',
  /** [4413] The pad's size cap, in the units people know. */
  padFull(maxPadBytes: number): string {
    const size = maxPadBytes >= 1024 * 1024 ? `${Math.round(maxPadBytes / (1024 * 1024))} MB` : `${Math.round(maxPadBytes / 1024)} KB`;
    return `The pad is full (${size}): your last change was not saved. Delete something to make room, or start a new pad.`;
  },
  // [1007] What the update check (server/sync/update-guard.ts) found.
  malformedUpdate: 'malformed update',
  countExceedsUpdate: (what: string, count: number) => `${what} count ${count} exceeds the update's size`,
  outOfRange: (what: string) => `${what} out of range`,
  foreignTopLevelType: (name: string) => `no top-level type "${name.slice(0, 40)}" in a pad`,
  unknownType: 'unknown type',
  unknownContentType: (ref: number) => `unknown content type ${ref}`,
  valueTooDeep: 'value nested too deeply',
  unknownValueType: 'unknown value type',
  // [1007] What the awareness check (server/sync/awareness-guard.ts) found.
  malformedAwareness: 'malformed awareness update',
  awarenessCountExceedsFrame: 'awareness count exceeds the frame',
  awarenessStateTooLarge: 'awareness state too large',
  awarenessTooDeep: 'awareness state nested too deeply',
} as const;

/**
 * The reasons of an auth "permission denied" message: the socket stays open, read-only. The
 * page matches `needsEditKey` and `wrongEditKey` to offer the edit-key dialog.
 */
export const DeniedReason = {
  readOnlyLink: 'This is a read-only link.',
  needsEditKey: 'This pad needs an edit key to make changes.',
  wrongEditKey: 'That edit key is not correct for this pad.',
  /** Sent once, at a viewer's first write (which is dropped). */
  readOnlyConnection: 'This connection is read-only: changes are not saved.',
} as const;

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
