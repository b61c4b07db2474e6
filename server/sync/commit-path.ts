/**
 * The contract between a room and the path its writes take to the log: the room hands each
 * accepted write to a `CommitSink` (the group commit) and hears back through `CommitTarget`;
 * a `SequenceTracker` (this process alone, or the cluster link) moves the room's progress past
 * the seqs the store gave.
 */
import type { Room } from './room.js';
import type { RoomPeer } from './room-peer.js';

/** One write waiting for its commit. `update` is null when the write changed nothing. */
export interface PendingWrite {
  room: CommitTarget;
  peer: RoomPeer | null;
  /** The peer's count of write frames up to and including this one (for `saved` acks). */
  writeNumber: number;
  author: string;
  update: Uint8Array | null;
  /** Client ids this write is the first to use (see `ClientIds`). */
  claims: number[];
  ticket: number;
  /** The seq the store gave `update`, once committed. */
  seq?: number;
  done?: { resolve: () => void; reject: (err: Error) => void };
}

/** Where a room's writes go to be committed. */
export interface CommitSink {
  enqueue(write: PendingWrite): void;
  /** Commits the queued writes now if no commit is running (they would otherwise wait a few ms). */
  commitSoon(): void;
}

/** What the commit path tells the room a write came from. */
export interface CommitTarget {
  readonly padId: string;
  /** This room's writes of one committed batch, in order, their `seq` set. */
  committed(writes: readonly PendingWrite[]): void;
  /** The store refused the batch holding these writes. */
  commitFailed(writes: readonly PendingWrite[], err: Error): void;
}

/** Moves a room's progress past the seqs of its own commits. */
export interface SequenceTracker {
  sequenced(room: Room, writes: readonly PendingWrite[]): void;
}

/** One process owns the log: a commit's seqs are the room's next ones. */
export const LOCAL_SEQUENCE: SequenceTracker = Object.freeze({
  sequenced(room: Room, writes: readonly PendingWrite[]): void {
    for (const write of writes) if (write.seq !== undefined) room.progress.reached(write.seq);
  },
});
