/**
 * Group commit: every write accepted during one turn of the event loop, across all rooms, is
 * committed in one store transaction (one fsync), then handed back to its room (`CommitTarget`) for fan-out and
 * acknowledgement. While a batch is being committed, new writes gather for the next one. The
 * store assigns each update its seq (several processes may write one pad); the room learns it
 * through `PendingWrite.seq`.
 *
 * Commits start at least `MIN_COMMIT_INTERVAL_MS` apart. A commit has a fixed cost (the fsync
 * most of it) an order of magnitude above its cost per update (docs/architecture.md), so under load, when writes arrive a
 * few per turn, waiting a moment for more costs a few ms of latency and saves most of the
 * commits; a lone write after a quiet spell still commits at once, and so does the batch when a
 * large room's fan-out is waiting for it (`commitSoon`, at most one per fan-out batch).
 *
 * A write also never waits more than `MAX_BATCH_AGE_MS` for its commit to start: past that age
 * the next arriving write starts the commit from inside its own socket callback. Otherwise,
 * under load, every write waits for the end of libuv's poll phase, which reads every socket
 * that became readable during the last long commit: with many busy pads the loop settled into
 * long rounds of "read everything, apply everything, commit everything", and each write waited
 * a whole round.
 */
import type { CommitSink, CommitTarget, PendingWrite } from './commit-path.js';
import type { Logger, NewUpdate, SyncStore } from './types.js';

const MIN_COMMIT_INTERVAL_MS = 4;
const MAX_BATCH_AGE_MS = 8;

export class CommitQueue implements CommitSink {
  private lastFlush = -Infinity;
  private batch: PendingWrite[] = [];
  /** When the oldest write not yet taken by a commit arrived. */
  private oldestArrival: number | null = null;
  private inflight: Promise<void> | null = null;
  private scheduled: { cancel(): void } | null = null;
  private readonly drainWaiters: (() => void)[] = [];

  constructor(
    private readonly store: SyncStore,
    private readonly logger: Logger,
    private readonly observeCommit: (seconds: number, records: number) => void = () => {},
  ) {}

  enqueue(write: PendingWrite): void {
    this.batch.push(write);
    this.startIfOld();
    this.schedule();
  }

  /** Starts the commit now if the oldest write waiting for one has waited long enough. */
  private startIfOld(): void {
    const now = performance.now();
    if (this.oldestArrival === null) this.oldestArrival = now;
    else if (now - this.oldestArrival >= MAX_BATCH_AGE_MS) this.commitSoon();
  }

  /** Starts the commit of the waiting writes now, unless one is running (they go next). */
  commitSoon(): void {
    if (this.inflight || this.batch.length === 0) return;
    this.scheduled?.cancel();
    this.scheduled = null;
    this.run();
  }

  get idle(): boolean {
    return this.batch.length === 0 && this.inflight === null && !this.scheduled;
  }

  /** Resolves once everything queued so far is committed (or refused). */
  drain(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inflight) return;
    const wait = this.lastFlush + MIN_COMMIT_INTERVAL_MS - performance.now();
    const run = () => {
      this.scheduled = null;
      this.run();
    };
    if (wait > 0) {
      const timer = setTimeout(run, wait);
      this.scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(run);
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    }
  }

  private run(): void {
    this.lastFlush = performance.now();
    const writes = this.batch;
    this.batch = [];
    this.oldestArrival = null;
    this.inflight = this.flush(writes).finally(() => {
      this.inflight = null;
      if (this.batch.length > 0) this.schedule();
      else if (this.drainWaiters.length > 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
    });
  }

  private async flush(writes: PendingWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const time = Date.now();
    const records: NewUpdate[] = [];
    const withUpdate: PendingWrite[] = [];
    for (const write of writes) {
      if (!write.update) continue;
      records.push({ padId: write.room.padId, time, author: write.author, data: write.update, claims: write.claims });
      withUpdate.push(write);
    }
    const byRoom = groupByRoom(writes);
    const started = performance.now();
    try {
      const seqs = records.length > 0 ? await this.store.appendUpdates(records) : [];
      if (seqs.length !== records.length) throw new RangeError(`store returned ${seqs.length} seqs for ${records.length} updates`);
      withUpdate.forEach((write, i) => (write.seq = seqs[i]));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.logger.error({ err: error, records: records.length }, 'commit failed; affected pads will reload');
      for (const [room, roomWrites] of byRoom) room.commitFailed(roomWrites, error);
      return;
    }
    this.observeCommit((performance.now() - started) / 1000, records.length);
    for (const [room, roomWrites] of byRoom) room.committed(roomWrites);
  }
}

function groupByRoom(writes: readonly PendingWrite[]): Map<CommitTarget, PendingWrite[]> {
  const byRoom = new Map<CommitTarget, PendingWrite[]>();
  for (const write of writes) {
    const list = byRoom.get(write.room);
    if (list) list.push(write);
    else byRoom.set(write.room, [write]);
  }
  return byRoom;
}
