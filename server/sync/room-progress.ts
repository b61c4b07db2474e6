/**
 * How far a room's pad has come: the log seq its document holds, what the log holds past the
 * last snapshot, and the stored bytes the size cap counts. The room owns it; the sequence
 * tracker and the snapshot scheduler move it only through these methods, so each number has
 * one meaning and one set of writers.
 */
export interface StoredProgress {
  lastSeq: number;
  updatesSinceSnapshot: number;
  storedBytes: number;
  snapshotBytes: number;
}

/** Share of the size cap past which deletions make the pad due for re-measuring (a snapshot). */
const REMEASURE_FULLNESS = 0.75;

export class RoomProgress {
  private seq: number;
  private sinceSnapshot: number;
  private stored: number;
  private snapshot: number;
  private remeasure = false;

  constructor(start: StoredProgress) {
    this.seq = start.lastSeq;
    this.sinceSnapshot = start.updatesSinceSnapshot;
    this.stored = start.storedBytes;
    this.snapshot = start.snapshotBytes;
  }

  /**
   * Every update of the log up to this seq is in the doc (with several processes, later ones
   * may be too; see ClusterLink). Snapshots are written as of this seq.
   */
  get lastSeq(): number {
    return this.seq;
  }

  /** Log rows after the stored snapshot. */
  get updatesSinceSnapshot(): number {
    return this.sinceSnapshot;
  }

  /** Stored bytes (snapshot + tail + accepted updates): what the size cap counts. */
  get storedBytes(): number {
    return this.stored;
  }

  /** Size of the latest snapshot (0 without one). */
  get snapshotBytes(): number {
    return this.snapshot;
  }

  /**
   * Set by a deletion in a nearly full pad: only a snapshot measures what deletions freed
   * (`storedBytes` counts the log), so one is due soon.
   */
  get remeasureDue(): boolean {
    return this.remeasure;
  }

  /** Whether `bytes` more would pass `maxBytes`. */
  wouldExceed(bytes: number, maxBytes: number): boolean {
    return this.stored + bytes > maxBytes;
  }

  /** A write was accepted (its commit is under way) or a committed change was applied. */
  grew(bytes: number): void {
    this.stored += bytes;
  }

  /** A deletion was accepted into a pad of `maxBytes`. */
  deleted(maxBytes: number): void {
    if (this.stored > maxBytes * REMEASURE_FULLNESS) this.remeasure = true;
  }

  /** `count` updates of this room were committed to the log. */
  committed(count: number): void {
    this.sinceSnapshot += count;
  }

  /**
   * The doc now holds the log up to `seq`; `newRows` of those rows were not counted as committed
   * yet (another process's updates, or rows read back from the store).
   */
  reached(seq: number, newRows = 0): void {
    if (seq <= this.seq) return;
    this.seq = seq;
    this.sinceSnapshot += newRows;
  }

  /** A snapshot as of `lastSeq` is being written: returns the rows it covers. */
  snapshotStarted(): number {
    this.remeasure = false;
    const covered = this.sinceSnapshot;
    this.sinceSnapshot = 0;
    return covered;
  }

  /** The snapshot could not be built or stored: the rows it covered count again. */
  snapshotFailed(covered: number): void {
    this.sinceSnapshot += covered;
  }

  /** A snapshot of `stateBytes` was built; `bytesSince` were accepted while it was. */
  measured(stateBytes: number, bytesSince: number): void {
    this.stored = stateBytes + bytesSince;
    this.snapshot = stateBytes;
  }

  /** A re-measure was asked for while writes were in flight: the next commit takes it. */
  markRemeasureDue(): void {
    this.remeasure = true;
  }
}
