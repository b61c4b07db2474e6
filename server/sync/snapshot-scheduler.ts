/**
 * When a room's snapshot is written, and where it is built. A snapshot is due once the log tail
 * has at least `snapshotEvery` updates and a quarter of the last snapshot's size in new bytes,
 * everything accepted committed. Encoding costs time in proportion to the pad (25 ms for a pad
 * 800 people type into), so on a large, busy pad a fixed count of updates meant several
 * encodings a second; with the byte rule the cost per written byte stays constant and loading
 * still reads at most ~1.25 states' worth. A nearly full pad that took deletions
 * (`RoomProgress.remeasureDue`) gets one at most every `REMEASURE_INTERVAL_MS`, as only a
 * snapshot measures what they freed. Large pads are built in a worker thread (single process
 * only, see OffLoopSnapshots); the rest are encoded on the loop, a slice at a time.
 */
import * as Y from 'yjs';
import { OffLoopSnapshots } from './off-loop-snapshots.js';
import type { Room } from './room.js';
import { LOCAL_LEASE, type Logger, type StoredPad, type SyncStore, type WorkLease } from './types.js';

/**
 * Longest run of snapshot writing before the loop gets a turn: pads that started together reach
 * their snapshot together (hundreds within two seconds at 2,000 busy pads, most of the time
 * encoding), which stalled every socket for a third of a second.
 */
const SNAPSHOT_SLICE_MS = 2;
/** Fewest ms between snapshots of a nearly full pad taking deletions (each one measures what they freed). */
const REMEASURE_INTERVAL_MS = 2000;

export interface SnapshotSchedulerOptions {
  store: Pick<SyncStore, 'writeSnapshot'>;
  logger: Logger;
  snapshotEvery: number;
  /** Pads whose snapshot is at least this many bytes get their next snapshots built in a worker thread. */
  snapshotWorkerBytes: number;
  /** False with several processes: updates reach a room from the others too, so the worker's log would miss them. */
  offLoop: boolean;
  /** A snapshot was built, and how long the loop spent on it (all of it, or handing it to the worker). */
  observeSnapshot?: (builtIn: 'loop' | 'worker', loopSeconds: number) => void;
  /** Snapshots are written by one process at a time under this lease (default: always). */
  lease?: WorkLease;
}

export class SnapshotScheduler {
  private readonly offLoop: OffLoopSnapshots | null;
  /** Rooms whose snapshot came due, in that order, written a slice at a time. */
  private readonly due = new Set<Room>();
  private timer: NodeJS.Immediate | null = null;
  /** When each room's last snapshot was started (performance.now()), for re-measuring full pads. */
  private readonly lastStarted = new WeakMap<Room, number>();
  private readonly remeasureTimers = new Map<Room, NodeJS.Timeout>();
  /** Set at shutdown: last snapshots are encoded on the loop, nothing waits on the worker. */
  private closing = false;

  constructor(private readonly options: SnapshotSchedulerOptions) {
    this.offLoop = options.offLoop ? new OffLoopSnapshots(options.snapshotWorkerBytes) : null;
  }

  /** Starts following a room just loaded from `stored`. */
  watch(room: Room, stored: StoredPad): void {
    if (stored.snapshot) this.offLoop?.keep(room, stored.snapshot, stored.tail);
    room.on('committed', (writes) => {
      if (this.offLoop) for (const write of writes) if (write.update) this.offLoop.committed(room, write.update);
      this.queueIfDue(room);
    });
  }

  /**
   * The room is being unloaded (before it closes): builds its last snapshot if one is due and
   * `wanted`, and returns the promise of storing it; null when there is nothing to store.
   */
  unloading(room: Room, wanted: boolean): Promise<void> | null {
    const due = wanted && room.isDurable && room.progress.updatesSinceSnapshot > 0;
    const state = due ? ((this.closing ? null : this.buildInWorker(room)) ?? Promise.resolve(this.encodeOnLoop(room))) : null;
    const seq = room.progress.lastSeq;
    const remeasure = this.remeasureTimers.get(room);
    if (remeasure) clearTimeout(remeasure);
    this.remeasureTimers.delete(room);
    this.offLoop?.forget(room);
    if (!state) return null;
    return state
      .then((s) => this.lease.tryRun(`snapshot:${room.padId}`, () => this.options.store.writeSnapshot(room.padId, seq, s)))
      .then(() => undefined)
      .catch((err: unknown) => this.options.logger.warn({ padId: room.padId, err }, 'snapshot on unload failed'));
  }

  /** From now on, snapshots are encoded on the loop (the server is shutting down). */
  beginShutdown(): void {
    this.closing = true;
  }

  /** Stops the timers and the worker (after the unload snapshots were started). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
    this.due.clear();
    await this.offLoop?.close();
  }

  /**
   * Writes a snapshot of `room` now, encoded on the loop, and returns the pad's size measured by
   * it (bytes); null when some of its writes are not committed yet (the next commit measures
   * it). For an admin's reset, which wants the size at once.
   */
  remeasure(room: Room): number | null {
    if (!room.isDurable || room.isClosed) {
      room.progress.markRemeasureDue();
      return null;
    }
    this.write(room, true);
    return room.progress.storedBytes;
  }

  private get lease(): WorkLease {
    return this.options.lease ?? LOCAL_LEASE;
  }

  private isDue(room: Room): boolean {
    const { progress } = room;
    if (!room.isDurable || room.isClosed || this.offLoop?.isBuilding(room)) return false;
    if (progress.remeasureDue && this.remeasureWait(room) === 0) return true;
    if (progress.updatesSinceSnapshot < this.options.snapshotEvery) return false;
    return progress.storedBytes - progress.snapshotBytes >= progress.snapshotBytes / 4;
  }

  /** How long until a nearly full pad may be measured again, ms. */
  private remeasureWait(room: Room): number {
    return Math.max(0, (this.lastStarted.get(room) ?? Number.NEGATIVE_INFINITY) + REMEASURE_INTERVAL_MS - performance.now());
  }

  private queueIfDue(room: Room): void {
    if (room.progress.remeasureDue && !this.remeasureTimers.has(room)) {
      const wait = this.remeasureWait(room);
      if (wait > 0) {
        const timer = setTimeout(() => {
          this.remeasureTimers.delete(room);
          this.queueIfDue(room);
        }, wait);
        timer.unref();
        this.remeasureTimers.set(room, timer);
      }
    }
    if (this.due.has(room) || !this.isDue(room)) return;
    this.due.add(room);
    this.timer ??= setImmediate(this.writeDue);
  }

  /**
   * Writes the due snapshots for at most `SNAPSHOT_SLICE_MS`, then goes on at the next turn. A
   * room that took a write meanwhile is not durable now: its next commit queues it again.
   */
  private readonly writeDue = (): void => {
    this.timer = null;
    const started = performance.now();
    for (const room of this.due) {
      if (performance.now() - started >= SNAPSHOT_SLICE_MS) {
        this.timer = setImmediate(this.writeDue);
        return;
      }
      this.due.delete(room);
      if (this.isDue(room)) this.write(room);
    }
  };

  private write(room: Room, onLoop = false): void {
    const { progress } = room;
    this.lastStarted.set(room, performance.now());
    const seq = progress.lastSeq;
    const covered = progress.snapshotStarted();
    const built = onLoop ? null : this.buildInWorker(room);
    if (built) {
      const storedBefore = progress.storedBytes;
      built.then(
        (state) => {
          progress.measured(state.length, progress.storedBytes - storedBefore);
          this.store(room, seq, state, covered);
        },
        (err: unknown) => {
          progress.snapshotFailed(covered);
          // At shutdown the worker is stopped; the unload snapshot was encoded on the loop.
          if (this.closing) return;
          this.options.logger.warn({ padId: room.padId, err }, 'snapshot could not be built in the worker; the next one is encoded here');
        },
      );
      return;
    }
    const state = this.encodeOnLoop(room);
    progress.measured(state.length, 0);
    this.offLoop?.keep(room, state);
    this.store(room, seq, state, covered);
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
    const doc = room.currentDoc();
    const started = performance.now();
    const state = Y.encodeStateAsUpdate(doc);
    this.options.observeSnapshot?.('loop', (performance.now() - started) / 1000);
    return state;
  }

  /** `covered`: the rows the snapshot covers beyond the stored one, counted again if it cannot be stored. */
  private store(room: Room, seq: number, state: Uint8Array, covered: number): void {
    const { padId } = room;
    this.lease
      .tryRun(`snapshot:${padId}`, () => this.options.store.writeSnapshot(padId, seq, state))
      .catch((err: unknown) => {
        // The stored snapshot is still the older one: the next commit (or the unload) tries again.
        room.progress.snapshotFailed(covered);
        this.options.logger.warn({ padId, err }, 'snapshot failed');
      });
  }
}
