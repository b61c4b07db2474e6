/**
 * A room's plain appends accepted but not yet applied to its doc (see room.ts), with each
 * client's clock after them, so checks of later writes count them.
 */
import * as Y from 'yjs';
import type { RoomPeer } from './room-peer.js';
import type { UpdateShape } from './update-guard.js';

/** A peer's plain append, accepted (its commit under way or done), waiting to be applied. */
export interface QueuedAppend {
  peer: RoomPeer;
  update: Uint8Array;
}

export class QueuedAppends {
  private appends: QueuedAppend[] = [];
  private readonly clocks = new Map<number, number>();

  get length(): number {
    return this.appends.length;
  }

  push(peer: RoomPeer, update: Uint8Array, shape: UpdateShape): void {
    for (const [client, range] of shape.structs) this.clocks.set(client, range.to);
    this.appends.push({ peer, update });
  }

  /** A client's clock in `doc` once the queued appends are applied. */
  clockOf(doc: Y.Doc, client: number): number {
    return this.clocks.get(client) ?? Y.getState(doc.store, client);
  }

  /**
   * Whether `shape` only appends to `doc`: structs that start exactly at each client's clock
   * (queued appends counted), nothing waiting in the doc. Then the update itself is its change,
   * and Yjs need not encode one: with 800 clients in a pad that encoding (it walks every
   * client's state) was 40% of applying an update (bench/perf.ts one-pad).
   */
  isPlainAppend(doc: Y.Doc, shape: UpdateShape): boolean {
    const store = doc.store;
    if (shape.structs.size === 0 || store.pendingStructs !== null || store.pendingDs !== null) return false;
    for (const [client, range] of shape.structs) if (range.from !== this.clockOf(doc, client)) return false;
    return true;
  }

  /** Takes every queued append, oldest first. */
  take(): QueuedAppend[] {
    const appends = this.appends;
    this.appends = [];
    this.clocks.clear();
    return appends;
  }
}
