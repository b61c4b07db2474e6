/**
 * Reads one frame from a peer and hands it to its room. Throws `SocketCloseError` with the
 * close code the connection must be closed with; the room and other peers are untouched.
 */
import * as decoding from 'lib0/decoding';
import { CloseCode, CloseReason, encodeBare, MessageType, SyncMessageType } from '../../common/protocol.js';
import { SocketCloseError } from './close-error.js';
import type { Room } from './room.js';
import type { RoomPeer } from './room-peer.js';

export interface FrameSender extends RoomPeer {
  /** Count of write frames (sync step 2 / update) received so far; see common/protocol.ts. */
  writesReceived: number;
  /** Called before each write frame is applied; throws SocketCloseError past a rate limit. */
  admitWrite(bytes: number): void;
  /** A viewer sent a write: it is dropped; the peer has been told it may not write. */
  writeDropped(): void;
  /** The peer sent sync step 1: the handshake is done. */
  handshakeDone(): void;
  /** Called before each sync step 1 is answered; throws SocketCloseError past the peer's limit. */
  admitSyncStep1(): void;
  /** Called for each awareness or query-awareness frame; throws SocketCloseError past the peer's limit. */
  admitPresence(bytes: number): void;
  /**
   * Runs `task` now, or coalesced with later ones of the same kind (only the latest runs, at
   * most once per interval): a peer gets no more relays or answers by sending more.
   */
  paced(kind: PacedWork, task: () => void): void;
}

const PONG = encodeBare(MessageType.pong);

/** Work a peer may ask for at any rate but that runs at a bounded one. */
export type PacedWork = 'awareness' | 'awarenessQuery';

export function receiveFrame(room: Room, peer: FrameSender, frame: Uint8Array): void {
  const decoder = decoding.createDecoder(frame);
  const messageType = read(() => decoding.readVarUint(decoder));
  switch (messageType) {
    case MessageType.sync:
      receiveSync(room, peer, decoder);
      return;
    case MessageType.awareness: {
      const update = read(() => decoding.readVarUint8Array(decoder));
      peer.admitPresence(frame.length);
      // A peer's later state replaces an earlier one not yet relayed: only its own id counts.
      peer.paced('awareness', () => apply(() => room.receiveAwareness(peer, update), CloseReason.invalidAwareness));
      return;
    }
    case MessageType.queryAwareness:
      peer.admitPresence(frame.length);
      peer.paced('awarenessQuery', () => room.sendAwarenessTo(peer));
      return;
    case MessageType.ping:
      peer.send(PONG);
      return;
    default:
      throw new SocketCloseError(CloseCode.unsupportedData, CloseReason.unknownMessageType(messageType));
  }
}

function receiveSync(room: Room, peer: FrameSender, decoder: decoding.Decoder): void {
  const subtype = read(() => decoding.readVarUint(decoder));
  const payload = read(() => decoding.readVarUint8Array(decoder));
  switch (subtype) {
    case SyncMessageType.step1:
      peer.handshakeDone();
      peer.admitSyncStep1();
      apply(() => room.receiveSyncStep1(peer, payload), CloseReason.invalidStateVector);
      return;
    case SyncMessageType.step2:
    case SyncMessageType.update:
      if (!peer.canWrite) {
        peer.writeDropped();
        return;
      }
      peer.admitWrite(payload.length);
      peer.writesReceived += 1;
      apply(() => room.receiveWrite(peer, peer.origin, payload, peer.writesReceived), CloseReason.updateNotApplied);
      return;
    default:
      throw new SocketCloseError(CloseCode.unsupportedData, CloseReason.unknownSyncMessageType(subtype));
  }
}

function read<T>(fn: () => T): T {
  try {
    return fn();
  } catch {
    throw new SocketCloseError(CloseCode.protocolError, CloseReason.malformedFrame);
  }
}

function apply(fn: () => void, reason: string): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof SocketCloseError) throw err;
    throw new SocketCloseError(CloseCode.invalidPayload, reason);
  }
}
