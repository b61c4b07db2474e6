/**
 * The loaded rooms, one per pad id. A room is loaded from the store on its first connection
 * and unloaded (a snapshot written, its memory returned) `unloadDelayMs` after the last
 * connection leaves, once everything it holds is committed.
 */
import * as Y from 'yjs';
import { CloseCode, CloseReason } from '../../common/protocol.js';
import type { ClusterBus } from './cluster-bus.js';
import { ClusterLink } from './cluster-link.js';
import { CommitQueue } from './commit-queue.js';
import { OffLoopSnapshots } from './off-loop-snapshots.js';
import { Room } from './room.js';
import { LOCAL_LEASE, type AuthorProfile, type Logger, type SyncStore, type WorkLease } from './types.js';

/**
 * How long a room's plain appends may wait to be applied to its doc (see room.ts): they are
 * committed and fanned out meanwhile; batching them saves a Yjs transaction per keystroke.
 * 4 s rather than 1 s: a room of three typists then applies ~30 at once instead of ~8, and at
 * 1,750 busy pads that took the server's core from missing (p95 154-1437 ms) to passing (62-87).
 */
const APPLY_DELAY_MS = 4000;
/**
 * Longest run of applying before the loop gets a turn: rooms that began typing together (a
 * session starting) come due together, and applying hundreds at once stalled every socket.
 */
const APPLY_SLICE_MS = 2;
/**
 * Longest run of snapshot writing before the loop gets a turn: pads that started together reach
 * their snapshot together (at 2,000 busy pads, 424 in two seconds, 0.8 ms each, most of it
 * encoding), which stalled every socket for a third of a second.
 */
const SNAPSHOT_SLICE_MS = 2;
/** Fewest ms between snapshots of a nearly full pad taking deletions (each one measures what they freed). */
const REMEASURE_INTERVAL_MS = 2000;

export interface RoomsOptions {
  store: SyncStore;
  logger: Logger;
  unloadDelayMs: number;
  snapshotEvery: number;
  /**
   * Pads whose snapshot is at least this many bytes get their next snapshots built in a worker
   * thread (single process only); smaller ones are encoded on the loop.
   */
  snapshotWorkerBytes: number;
  /** Largest stored size of one pad, bytes. */
  maxPadBytes: number;
  observeCommit?: (seconds: number, records: number) => void;
  /** A snapshot was built, and how long the loop spent on it (all of it, or handing it to the worker). */
  observeSnapshot?: (builtIn: 'loop' | 'worker', loopSeconds: number) => void;
  /** Called when a connection's awareness shows a (new) name or colour for its author. */
  onAuthorProfile?: (author: string, profile: AuthorProfile) => void;
  /**
   * Called after each committed batch of a room (history indexing, search): must be cheap and
   * must not throw; heavier work belongs in a deferred task.
   */
  onCommitted?: (room: Room) => void;
  /** Several server processes serve the same pads through this bus (REDIS_URL); none by default. */
  cluster?: ClusterBus;
  /** Snapshots are written by one process at a time under this lease (default: always). */
  lease?: WorkLease;
}

export class Rooms {
  readonly commits: CommitQueue;
  /** Present when several processes serve the same pads. */
  readonly cluster: ClusterLink | null;
  private readonly loaded = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  /** Snapshots being written for rooms just unloaded; a reload waits for them. */
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly unloadTimers = new Map<Room, NodeJS.Timeout>();
  /**
   * Rooms with plain appends not yet applied to their doc, with when the first of them came, in
   * that order: each is applied `APPLY_DELAY_MS` later unless something reads the doc sooner.
   */
  private readonly withQueuedAppends = new Map<Room, number>();
  private applyTimer: NodeJS.Timeout | null = null;
  /** Rooms whose snapshot came due, in that order, written a slice at a time. */
  private readonly dueSnapshots = new Set<Room>();
  private snapshotTimer: NodeJS.Immediate | null = null;
  private readonly offLoop: OffLoopSnapshots | null;
  /** When each room's last snapshot was started (performance.now()), for re-measuring full pads. */
  private readonly lastSnapshots = new WeakMap<Room, number>();
  private readonly remeasureTimers = new Map<Room, NodeJS.Timeout>();
  /** Set by `closeAll`: last snapshots are encoded on the loop, nothing waits on the worker. */
  private closing = false;

  constructor(private readonly options: RoomsOptions) {
    this.commits = new CommitQueue(options.store, options.logger, options.observeCommit);
    this.cluster = options.cluster
      ? new ClusterLink({ bus: options.cluster, store: options.store, rooms: this, logger: options.logger })
      : null;
    this.offLoop = this.cluster ? null : new OffLoopSnapshots(options.snapshotWorkerBytes);
  }

  /** Connects to the cluster bus, if there is one. */
  async start(): Promise<void> {
    await this.cluster?.start();
  }

  get size(): number {
    return this.loaded.size;
  }

  /** The room for `padId` if it is in memory. */
  peek(padId: string): Room | undefined {
    return this.loaded.get(padId);
  }

  /** Connected peers per loaded pad that has any. */
  peerCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const room of this.loaded.values()) if (room.peers.size > 0) counts.set(room.padId, room.peers.size);
    return counts;
  }

  all(): IterableIterator<Room> {
    return this.loaded.values();
  }

  /** The room for `padId`, loading it if needed. */
  get(padId: string): Promise<Room> {
    const room = this.loaded.get(padId);
    if (room) {
      this.cancelUnload(room);
      return Promise.resolve(room);
    }
    let pending = this.loading.get(padId);
    if (!pending) {
      pending = this.load(padId).finally(() => this.loading.delete(padId));
      this.loading.set(padId, pending);
    }
    return pending;
  }

  /**
   * Runs `fn` on the room for `padId` (loading it if needed) and lets it unload afterwards if
   * no one is connected: for API reads and writes.
   */
  async use<T>(padId: string, fn: (room: Room) => T | Promise<T>): Promise<T> {
    const room = await this.get(padId);
    try {
      return await fn(room);
    } finally {
      this.releaseIfEmpty(room);
    }
  }

  /**
   * The store took writes for `padId` that did not come through a room (an Etherpad import, up
   * to `seq`): a loaded room reads them from the store and shows them to its peers; with several
   * processes, so do the others'.
   */
  async storeWritten(padId: string, seq: number): Promise<void> {
    if (this.cluster) {
      this.cluster.storeWritten(padId, seq);
      return;
    }
    const room = this.loaded.get(padId);
    if (!room) return;
    const tail = await this.options.store.readTail(padId, room.lastSeq);
    if (room.isClosed) return;
    if (tail.snapshot) room.applyCommitted(tail.snapshot, tail.clientOwners);
    for (const update of tail.updates) room.applyCommitted(update, tail.clientOwners);
    if (tail.lastSeq > room.lastSeq) room.lastSeq = tail.lastSeq;
  }

  /**
   * Closes the room for `padId` (its peers get `code` and `reason`) without a snapshot, once
   * its writes are committed: before the pad is deleted.
   */
  async evict(padId: string, code: number, reason: string): Promise<void> {
    await this.commits.drain();
    const room = this.loaded.get(padId);
    if (room) this.unload(room, code, reason, false);
    await this.unloading.get(padId);
  }

  /** For a room loaded for a connection that left before it was ready. */
  releaseIfEmpty(room: Room): void {
    if (room.peers.size === 0 && !room.isClosed) this.scheduleUnload(room);
  }

  /** Unloads every room now (shutdown): waits for commits, writes snapshots. */
  async closeAll(code: number, reason: string): Promise<void> {
    this.closing = true;
    await this.commits.drain();
    for (const room of Array.from(this.loaded.values())) this.unload(room, code, reason);
    if (this.applyTimer) clearTimeout(this.applyTimer);
    this.applyTimer = null;
    if (this.snapshotTimer) clearImmediate(this.snapshotTimer);
    this.snapshotTimer = null;
    this.dueSnapshots.clear();
    await Promise.all(this.unloading.values());
    await this.offLoop?.close();
  }

  private appendQueued(room: Room): void {
    if (this.withQueuedAppends.has(room)) return;
    this.withQueuedAppends.set(room, performance.now());
    this.applyTimer ??= setTimeout(this.applyDueAppends, APPLY_DELAY_MS);
  }

  /**
   * Applies the queued appends of the rooms whose first one came `APPLY_DELAY_MS` ago, for at
   * most `APPLY_SLICE_MS` before letting the loop run (then it goes on at the next turn).
   */
  private readonly applyDueAppends = (): void => {
    this.applyTimer = null;
    const started = performance.now();
    for (const [room, since] of this.withQueuedAppends) {
      const now = performance.now();
      const wait = since + APPLY_DELAY_MS - now;
      if (wait > 0 || now - started >= APPLY_SLICE_MS) {
        this.applyTimer = setTimeout(this.applyDueAppends, Math.max(wait, 0));
        return;
      }
      this.withQueuedAppends.delete(room);
      room.applyQueuedAppends();
    }
  };

  private async load(padId: string): Promise<Room> {
    await this.unloading.get(padId);
    let stored;
    try {
      await this.cluster?.beforeLoad(padId);
      stored = await this.options.store.loadPad(padId);
    } catch (err) {
      this.cluster?.loadFailed(padId);
      throw err;
    }
    const cluster = this.cluster;
    const room = new Room(padId, stored, {
      enqueue: (write) => this.commits.enqueue(write),
      commitSoon: () => this.commits.commitSoon(),
      appendQueued: (r) => this.appendQueued(r),
      onEmpty: (r) => this.scheduleUnload(r),
      afterCommit: (r) => {
        this.queueSnapshotIfDue(r);
        this.options.onCommitted?.(r);
      },
      onAuthorProfile: (author, profile) => this.options.onAuthorProfile?.(author, profile),
      onBroken: (r, err) => {
        this.options.logger.warn({ padId: r.padId, err }, 'pad dropped after a failed commit');
        this.unload(r, CloseCode.tryAgainLater, CloseReason.commitFailed, false);
      },
      onSequenced: (r, writes) => {
        if (cluster) {
          cluster.sequenced(r, writes);
          return;
        }
        for (const write of writes) {
          if (write.seq !== undefined && write.seq > r.lastSeq) r.lastSeq = write.seq;
          if (write.update) this.offLoop?.committed(r, write.update);
        }
      },
      onLocalAwareness: cluster ? (r, update) => cluster.localAwareness(r, update) : undefined,
      logger: this.options.logger,
      maxPadBytes: this.options.maxPadBytes,
    });
    if (stored.snapshot) this.offLoop?.keep(room, stored.snapshot, stored.tail);
    this.loaded.set(padId, room);
    cluster?.loaded(room);
    this.options.logger.debug({ padId, lastSeq: stored.lastSeq }, 'pad loaded');
    return room;
  }

  private get lease(): WorkLease {
    return this.options.lease ?? LOCAL_LEASE;
  }

  private scheduleUnload(room: Room): void {
    this.cancelUnload(room);
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room);
      if (room.peers.size > 0 || room.isClosed) return;
      if (!room.isDurable) {
        this.scheduleUnload(room);
        return;
      }
      this.unload(room, CloseCode.normal, CloseReason.unloaded);
    }, this.options.unloadDelayMs);
    timer.unref();
    this.unloadTimers.set(room, timer);
  }

  private cancelUnload(room: Room): void {
    const timer = this.unloadTimers.get(room);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(room);
    }
  }

  private unload(room: Room, code: number, reason: string, snapshot = true): void {
    this.cancelUnload(room);
    if (this.loaded.get(room.padId) === room) this.loaded.delete(room.padId);
    const due = snapshot && room.isDurable && room.updatesSinceSnapshot > 0;
    const state = due ? ((this.closing ? null : this.buildInWorker(room)) ?? Promise.resolve(this.encodeOnLoop(room))) : null;
    const seq = room.lastSeq;
    room.close(code, reason);
    this.withQueuedAppends.delete(room);
    const remeasure = this.remeasureTimers.get(room);
    if (remeasure) clearTimeout(remeasure);
    this.remeasureTimers.delete(room);
    this.offLoop?.forget(room);
    this.cluster?.unloaded(room);
    if (!state) return;
    const write = state
      .then((s) => this.lease.tryRun(`snapshot:${room.padId}`, () => this.options.store.writeSnapshot(room.padId, seq, s)))
      .then(() => undefined)
      .catch((err: unknown) => this.options.logger.warn({ padId: room.padId, err }, 'snapshot on unload failed'))
      .finally(() => this.unloading.delete(room.padId));
    this.unloading.set(room.padId, write);
  }

  /**
   * Whether a room's log tail has grown long enough for a snapshot: at least `snapshotEvery`
   * updates and a quarter of the last snapshot's size in new bytes, everything accepted
   * committed. Encoding costs time in proportion to the pad (25 ms for a pad 800 people type
   * into), so on a large, busy pad a fixed count of updates meant several encodings a second;
   * with the byte rule the cost per written byte stays constant and loading still reads at most
   * ~1.25 states' worth. A nearly full pad that took deletions (`Room.remeasureDue`) gets one
   * at most every `REMEASURE_INTERVAL_MS`, as only a snapshot measures what they freed.
   */
  private snapshotDue(room: Room): boolean {
    if (!room.isDurable || room.isClosed || this.offLoop?.isBuilding(room)) return false;
    if (room.remeasureDue && this.remeasureWait(room) === 0) return true;
    if (room.updatesSinceSnapshot < this.options.snapshotEvery) return false;
    return room.storedBytes - room.snapshotBytes >= room.snapshotBytes / 4;
  }

  /** How long until a nearly full pad may be measured again, ms. */
  private remeasureWait(room: Room): number {
    return Math.max(0, (this.lastSnapshots.get(room) ?? Number.NEGATIVE_INFINITY) + REMEASURE_INTERVAL_MS - performance.now());
  }

  private queueSnapshotIfDue(room: Room): void {
    if (room.remeasureDue && !this.remeasureTimers.has(room)) {
      const wait = this.remeasureWait(room);
      if (wait > 0) {
        const timer = setTimeout(() => {
          this.remeasureTimers.delete(room);
          this.queueSnapshotIfDue(room);
        }, wait);
        timer.unref();
        this.remeasureTimers.set(room, timer);
      }
    }
    if (this.dueSnapshots.has(room) || !this.snapshotDue(room)) return;
    this.dueSnapshots.add(room);
    this.snapshotTimer ??= setImmediate(this.writeDueSnapshots);
  }

  /**
   * Writes the due snapshots for at most `SNAPSHOT_SLICE_MS`, then goes on at the next turn. A
   * room that took a write meanwhile is not durable now: its next commit queues it again.
   */
  private readonly writeDueSnapshots = (): void => {
    this.snapshotTimer = null;
    const started = performance.now();
    for (const room of this.dueSnapshots) {
      if (performance.now() - started >= SNAPSHOT_SLICE_MS) {
        this.snapshotTimer = setImmediate(this.writeDueSnapshots);
        return;
      }
      this.dueSnapshots.delete(room);
      if (this.snapshotDue(room)) this.writeSnapshot(room);
    }
  };

  /**
   * Writes a snapshot of `room` now, encoded on the loop, and returns the pad's size measured by
   * it (bytes); null when some of its writes are not committed yet (the next commit measures
   * it). For an admin's reset, which wants the size at once.
   */
  remeasure(room: Room): number | null {
    if (!room.isDurable || room.isClosed) {
      room.remeasureDue = true;
      return null;
    }
    this.writeSnapshot(room, true);
    return room.storedBytes;
  }

  private writeSnapshot(room: Room, onLoop = false): void {
    room.remeasureDue = false;
    this.lastSnapshots.set(room, performance.now());
    const seq = room.lastSeq;
    const updates = room.updatesSinceSnapshot;
    room.updatesSinceSnapshot = 0;
    const built = onLoop ? null : this.buildInWorker(room);
    if (built) {
      const storedBefore = room.storedBytes;
      built.then(
        (state) => {
          this.sizeAfterSnapshot(room, state, room.storedBytes - storedBefore);
          this.storeSnapshot(room, seq, state, updates);
        },
        (err: unknown) => {
          room.updatesSinceSnapshot += updates;
          // At shutdown the worker is stopped; the unload snapshot was encoded on the loop.
          if (this.closing) return;
          this.options.logger.warn({ padId: room.padId, err }, 'snapshot could not be built in the worker; the next one is encoded here');
        },
      );
      return;
    }
    const state = this.encodeOnLoop(room);
    this.sizeAfterSnapshot(room, state, 0);
    this.offLoop?.keep(room, state);
    this.storeSnapshot(room, seq, state, updates);
  }

  private buildInWorker(room: Room): Promise<Uint8Array> | null {
    const started = performance.now();
    const built = this.offLoop?.build(room);
    if (!built) return null;
    const onLoop = (performance.now() - started) / 1000;
    return built.then((state) => {
      this.options.observeSnapshot?.('worker', onLoop);
      return state;
    });
  }

  private encodeOnLoop(room: Room): Uint8Array {
    // Timed without applying the queued appends first: the loop does that within seconds anyway.
    const doc = room.doc;
    const started = performance.now();
    const state = Y.encodeStateAsUpdate(doc);
    this.options.observeSnapshot?.('loop', (performance.now() - started) / 1000);
    return state;
  }

  /** The size cap counts the encoded document (and what came after it), not the history that led to it. */
  private sizeAfterSnapshot(room: Room, state: Uint8Array, bytesSince: number): void {
    room.storedBytes = state.length + bytesSince;
    room.snapshotBytes = state.length;
  }

  /** `updates`: what the snapshot covers beyond the stored one, counted again if it cannot be stored. */
  private storeSnapshot(room: Room, seq: number, state: Uint8Array, updates: number): void {
    const { padId } = room;
    this.lease
      .tryRun(`snapshot:${padId}`, () => this.options.store.writeSnapshot(padId, seq, state))
      .catch((err: unknown) => {
        // The stored snapshot is still the older one: the next commit (or the unload) tries again.
        room.updatesSinceSnapshot += updates;
        this.options.logger.warn({ padId, err }, 'snapshot failed');
      });
  }
}
