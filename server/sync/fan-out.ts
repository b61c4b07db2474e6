/**
 * Batches a room's outgoing traffic. Committed updates are framed once and the same buffer goes
 * to every peer (in a large room merged into one update), awareness changes into one awareness
 * frame. With few peers a batch goes out at once; with many, at most once per
 * `intervalFor(peers)` ms, so sends grow with peers x batches per second rather than peers x
 * updates per second (Etherpad's quadratic wall). Only committed updates ever enter the outbox:
 * durable before visible.
 */
import * as Y from 'yjs';
import type { RoomPeer } from './room-peer.js';

/** Peers at or below this count get every batch immediately. */
const IMMEDIATE_PEERS = 64;
/** The longest a batch waits, ms: 20 batches a second at the largest rooms. */
const MAX_INTERVAL_MS = 50;
/** The longest a due batch waits for writes that are read but not yet committed, ms. */
const COMMIT_WAIT_MS = 10;

/** Delay between batches for a room of `peers`: 0 up to 64 peers, then 1 ms per 40 peers. */
export function intervalFor(peers: number): number {
  return peers <= IMMEDIATE_PEERS ? 0 : Math.min(MAX_INTERVAL_MS, Math.ceil(peers / 40));
}

/**
 * Frames that go to many peers at once. A transport frames them for the wire on first use and
 * keeps that in `wire`, so every peer gets the same bytes in one write.
 */
export class SharedFrames {
  wire: Buffer | null = null;
  constructor(readonly frames: readonly Uint8Array[]) {}
}

export interface FanOutTarget {
  readonly peers: ReadonlySet<RoomPeer>;
  updateFrame(update: Uint8Array): Uint8Array;
  /** Called with each update frame once it has gone to the peers. */
  sentUpdate?(frame: Uint8Array): void;
  awarenessFrame(clients: number[]): Uint8Array;
  /** True while some of the room's accepted writes are not yet committed. */
  awaitingCommit?(): boolean;
  /** Asks for those writes to be committed now rather than at the next commit's usual time. */
  commitSoon?(): void;
}

export class FanOut {
  private updates: Uint8Array[] = [];
  private readonly senders = new Set<RoomPeer | null>();
  private readonly awarenessClients = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private waitingForCommit = false;

  constructor(private readonly target: FanOutTarget) {}

  addUpdate(update: Uint8Array, sender: RoomPeer | null): void {
    this.addUpdates([{ update, peer: sender }]);
  }

  /** Updates that leave together, in one frame (one commit's writes to the room). */
  addUpdates(writes: Iterable<{ update: Uint8Array | null; peer: RoomPeer | null }>): void {
    const before = this.updates.length;
    for (const { update, peer } of writes) {
      if (!update) continue;
      this.updates.push(update);
      this.senders.add(peer);
    }
    if (this.updates.length === before) return;
    if (this.waitingForCommit) this.flush();
    else this.schedule();
  }

  addAwareness(clients: readonly number[]): void {
    for (const client of clients) this.awarenessClients.add(client);
    this.schedule();
  }

  /** Sends what is pending now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.waitingForCommit = false;
    this.lastFlush = performance.now();
    const peers = this.target.peers;
    const frames: Uint8Array[] = [];
    let updateFrames = 0;
    let skip: RoomPeer | null | undefined;
    if (this.updates.length > 0) {
      // A batched room's updates become one frame that thousands of peers apply once. A small
      // room's batch is one commit's few writes: merging them cost more allocation than the
      // writes themselves, so they go as a frame each, still in one write per peer.
      const merge = this.updates.length > 1 && intervalFor(peers.size) > 0;
      for (const update of merge ? [Y.mergeUpdates(this.updates)] : this.updates) frames.push(this.target.updateFrame(update));
      updateFrames = frames.length;
      // A lone sender already has its change; with several, each also gets the others' (and
      // its own, which Yjs skips).
      if (this.senders.size === 1) skip = this.senders.values().next().value;
      this.updates = [];
      this.senders.clear();
    }
    let awareness: Uint8Array | null = null;
    if (this.awarenessClients.size > 0) {
      awareness = this.target.awarenessFrame(Array.from(this.awarenessClients));
      this.awarenessClients.clear();
      frames.push(awareness);
    }
    if (frames.length === 0) return;
    const shared = new SharedFrames(frames);
    for (const peer of peers) {
      if (peer !== skip) peer.sendShared(shared);
      else if (awareness) peer.send(awareness);
    }
    for (let i = 0; i < updateFrames; i += 1) this.target.sentUpdate?.(frames[i]);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waitingForCommit = false;
    this.updates = [];
    this.awarenessClients.clear();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = intervalFor(this.target.peers.size) - (performance.now() - this.lastFlush);
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(this.due, wait);
  }

  /**
   * A batched room's batch is due. Writes read just before it but not yet committed would miss
   * it and wait a whole interval for the next (in the largest rooms, the slowest twentieth of
   * edits); the batch waits for their commit instead, at most `COMMIT_WAIT_MS`.
   */
  private readonly due = (): void => {
    this.timer = null;
    if (!this.target.awaitingCommit?.()) return this.flush();
    this.waitingForCommit = true;
    this.timer = setTimeout(() => this.flush(), COMMIT_WAIT_MS);
    this.target.commitSoon?.();
  };
}
