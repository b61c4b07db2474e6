/**
 * Answers for peers that join a large pad knowing little of it. Encoding a pad's whole state
 * costs time in proportion to its size (docs/architecture.md, Joining), and a room that
 * hundreds of people join in a minute would pay it once per person.
 * Instead the room encodes its state once (the "base") and remembers the update frames it
 * has fanned out since; a joiner gets the base and those frames, which together hold everything
 * committed so far (later commits reach it as live fan-out, since it is already a peer).
 *
 * Joiners that already hold most of the pad (a reconnect) still get the exact difference.
 */
import * as Y from 'yjs';
import { syncStep2Frame, updateFrame } from './frames.js';

/** Pads smaller than this (sum of clocks: roughly characters and items) are encoded per joiner. */
const MIN_CLOCKS = 20_000;
/** The base is re-encoded once the frames since it exceed this count... */
const MAX_TAIL_FRAMES = 512;
/** ...or this share of the base's size. */
const MAX_TAIL_SHARE = 0.25;

export interface JoinAnswer {
  frames: Uint8Array[];
  /** The room's applied-write ticket the answer includes: send once that is committed. */
  ticket: number;
}

export class JoinSnapshot {
  private base: { frame: Uint8Array; ticket: number } | null = null;
  private tail: Uint8Array[] = [];
  private tailBytes = 0;

  /**
   * The answer to sync step 1 with `stateVector`, or null when an exact encoding for this
   * peer is the better answer (small pad, or a peer that lacks less than half of it).
   */
  answer(doc: Y.Doc, stateVector: Uint8Array, appliedTicket: number): JoinAnswer | null {
    const known = Y.decodeStateVector(stateVector);
    let total = 0;
    let missing = 0;
    for (const [client, clock] of clocks(doc)) {
      total += clock;
      missing += Math.max(0, clock - (known.get(client) ?? 0));
    }
    if (total < MIN_CLOCKS || missing * 2 < total) return null;
    // Without a base the tail is empty: frames are only kept after one.
    this.base ??= { frame: syncStep2Frame(Y.encodeStateAsUpdate(doc)), ticket: appliedTicket };
    return { frames: [this.base.frame, ...this.tail], ticket: this.base.ticket };
  }

  /**
   * Starts from what a room was loaded from (committed: the latest snapshot and the log after
   * it), so the first joiner of a cold pad is answered without encoding it.
   */
  seed(doc: Y.Doc, snapshot: Uint8Array | null, tail: readonly Uint8Array[]): void {
    if (!snapshot || tail.length > MAX_TAIL_FRAMES) return;
    let total = 0;
    for (const clock of clocks(doc).values()) total += clock;
    const tailBytes = tail.reduce((sum, update) => sum + update.length, 0);
    if (total < MIN_CLOCKS || tailBytes > snapshot.length * MAX_TAIL_SHARE) return;
    this.base = { frame: syncStep2Frame(snapshot), ticket: 0 };
    this.tail = tail.map(updateFrame);
    this.tailBytes = tailBytes;
  }

  /** An update frame the room has just sent to its peers. */
  fannedOut(frame: Uint8Array): void {
    if (!this.base) return;
    this.tail.push(frame);
    this.tailBytes += frame.length;
    // Past this the next joiner is better served by a fresh base (and nothing piles up meanwhile).
    if (this.tail.length > MAX_TAIL_FRAMES || this.tailBytes > this.base.frame.length * MAX_TAIL_SHARE) this.clear();
  }

  clear(): void {
    this.base = null;
    this.tail = [];
    this.tailBytes = 0;
  }
}

const clocks = (doc: Y.Doc): Map<number, number> => Y.decodeStateVector(Y.encodeStateVector(doc));
