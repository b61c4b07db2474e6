/**
 * The loaded rooms, one per pad id. A room is loaded from the store on its first connection
 * and unloaded (a snapshot written, its memory returned) `unloadDelayMs` after the last
 * connection leaves, once everything it holds is committed. The registry wires each room to
 * the commit queue, its sequence tracker (this process, or the cluster link) and the schedulers
 * that listen to its events; it holds no policy of its own.
 */
import { CloseCode, CloseReason } from '../../common/protocol.js';
import { AppendScheduler } from './append-scheduler.js';
import type { ClusterBus } from './cluster-bus.js';
import { ClusterLink } from './cluster-link.js';
import { LOCAL_SEQUENCE } from './commit-path.js';
import { CommitQueue } from './commit-queue.js';
import { Room } from './room.js';
import { SnapshotScheduler } from './snapshot-scheduler.js';
import type { AuthorProfile, Logger, SyncStore, WorkLease } from './types.js';

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
  private readonly appends = new AppendScheduler();
  private readonly snapshots: SnapshotScheduler;
  private readonly loaded = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  /** Snapshots being written for rooms just unloaded; a reload waits for them. */
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly unloadTimers = new Map<Room, NodeJS.Timeout>();

  constructor(private readonly options: RoomsOptions) {
    this.commits = new CommitQueue(options.store, options.logger, options.observeCommit);
    this.cluster = options.cluster
      ? new ClusterLink({ bus: options.cluster, store: options.store, rooms: this, logger: options.logger })
      : null;
    this.snapshots = new SnapshotScheduler({
      store: options.store,
      logger: options.logger,
      snapshotEvery: options.snapshotEvery,
      snapshotWorkerBytes: options.snapshotWorkerBytes,
      offLoop: !this.cluster,
      observeSnapshot: options.observeSnapshot,
      lease: options.lease,
    });
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
    const tail = await this.options.store.readTail(padId, room.progress.lastSeq);
    if (room.isClosed) return;
    if (tail.snapshot) room.applyCommitted(tail.snapshot, tail.clientOwners);
    for (const update of tail.updates) room.applyCommitted(update, tail.clientOwners);
    room.progress.reached(tail.lastSeq, tail.lastSeq - room.progress.lastSeq);
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

  /** Writes a snapshot of `room` now and returns the size it measured (see SnapshotScheduler.remeasure). */
  remeasure(room: Room): number | null {
    return this.snapshots.remeasure(room);
  }

  /** Unloads every room now (shutdown): waits for commits, writes snapshots. */
  async closeAll(code: number, reason: string): Promise<void> {
    this.snapshots.beginShutdown();
    await this.commits.drain();
    for (const room of Array.from(this.loaded.values())) this.unload(room, code, reason);
    this.appends.close();
    await Promise.all(this.unloading.values());
    await this.snapshots.close();
  }

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
    const room = new Room(padId, stored, {
      commits: this.commits,
      sequences: this.cluster ?? LOCAL_SEQUENCE,
      maxPadBytes: this.options.maxPadBytes,
      logger: this.options.logger,
    });
    room.on('empty', () => this.scheduleUnload(room));
    room.on('broken', (err) => {
      this.options.logger.warn({ padId, err }, 'pad dropped after a failed commit');
      this.unload(room, CloseCode.tryAgainLater, CloseReason.commitFailed, false);
    });
    const { onAuthorProfile, onCommitted } = this.options;
    if (onAuthorProfile) room.on('authorProfile', onAuthorProfile);
    this.appends.watch(room);
    this.snapshots.watch(room, stored);
    if (onCommitted) room.on('committed', () => onCommitted(room));
    this.loaded.set(padId, room);
    this.cluster?.loaded(room);
    this.options.logger.debug({ padId, lastSeq: stored.lastSeq }, 'pad loaded');
    return room;
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
    const write = this.snapshots.unloading(room, snapshot);
    this.appends.forget(room);
    this.cluster?.unloaded(room);
    room.close(code, reason);
    if (!write) return;
    const padId = room.padId;
    this.unloading.set(
      padId,
      write.finally(() => this.unloading.delete(padId)),
    );
  }
}
