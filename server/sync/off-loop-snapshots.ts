/**
 * What a large pad's next snapshot is built from, off the loop: its latest snapshot and every
 * update committed after it, in seq order. Kept only for rooms whose snapshot is at least
 * `minBytes` (smaller ones encode in a few ms on the loop) and only in a single process (with
 * several, updates reach a room from other processes too; see ClusterLink).
 */
import { PackedUpdates } from './packed-updates.js';
import type { Room } from './room.js';
import { SnapshotBuilder } from './snapshot-builder.js';

interface Kept {
  base: Uint8Array;
  /** Committed after `base` (and after the build in flight, if any). */
  updates: PackedUpdates;
  building: boolean;
}

export class OffLoopSnapshots {
  private readonly kept = new WeakMap<Room, Kept>();
  private readonly builder = new SnapshotBuilder();

  constructor(private readonly minBytes: number) {}

  /** Starts keeping `room`'s log after `base` (a snapshot just written or loaded) if it is large. */
  keep(room: Room, base: Uint8Array, updates: readonly Uint8Array[] = []): void {
    if (base.length < this.minBytes) this.kept.delete(room);
    else {
      const packed = new PackedUpdates();
      for (const update of updates) packed.push(update);
      this.kept.set(room, { base, updates: packed, building: false });
    }
  }

  /** A committed update of `room`, in seq order. */
  committed(room: Room, update: Uint8Array): void {
    this.kept.get(room)?.updates.push(update);
  }

  isBuilding(room: Room): boolean {
    return this.kept.get(room)?.building === true;
  }

  /**
   * Builds `room`'s state as of its last committed update, in the worker; null if nothing is
   * kept for it or a build is under way (encode on the loop then). The result becomes the base
   * of the next build; a failed build drops what was kept, so the next snapshot is encoded on
   * the loop and keeping starts again from it.
   */
  build(room: Room): Promise<Uint8Array> | null {
    const kept = this.kept.get(room);
    if (!kept || kept.building) return null;
    kept.building = true;
    const updates = kept.updates.seal();
    kept.updates = new PackedUpdates();
    return this.builder.build(kept.base, updates).then(
      (state) => {
        kept.base = state;
        kept.building = false;
        return state;
      },
      (err: unknown) => {
        if (this.kept.get(room) === kept) this.kept.delete(room);
        throw err;
      },
    );
  }

  /** The room is unloaded: its builds in flight still finish. */
  forget(room: Room): void {
    this.kept.delete(room);
  }

  close(): Promise<void> {
    return this.builder.close();
  }
}
