/**
 * Keeps the rooms of this process in step with the other processes serving the same pads.
 *
 * - After a commit, each update goes out on the bus with the seq the store gave it.
 * - An update from another process is applied (origin `cluster`: fanned out to local peers,
 *   never committed or published again) when it is the room's next seq. Updates that arrive
 *   ahead of a gap wait up to `gapWaitMs`; if the gap is still open then, the room reads what it
 *   missed from the store (`readTail`), which is the log: the bus may drop messages.
 * - Own commits can also land ahead of the room's seq (another process committed in between);
 *   they are already in the doc and only wait for the seqs before them.
 * - When the bus reconnects after a loss, every loaded room catches up from the store, and
 *   announces its head seq so that the others catch up with what this process published while
 *   it was cut off.
 * - Awareness is relayed as raw y-protocols updates; a room that loads asks the others for
 *   their peers' states.
 */
import type { ClusterBus, ClusterUpdate } from './cluster-bus.js';
import type { PendingWrite, SequenceTracker } from './commit-path.js';
import type { Room } from './room.js';
import type { Logger, SyncStore } from './types.js';

export interface ClusterLinkOptions {
  bus: ClusterBus;
  store: Pick<SyncStore, 'readTail'>;
  rooms: { peek(padId: string): Room | undefined; all(): Iterable<Room> };
  logger: Logger;
  /** How long updates ahead of a gap wait for the missing ones before a store catch-up, ms (default 100). */
  gapWaitMs?: number;
}

/** Wait before retrying a catch-up the store refused, ms. */
const RETRY_MS = 1000;

interface PadState {
  /** Seqs past the room's `lastSeq` already known: a message to apply, or null for an own commit already in the doc. */
  ahead: Map<number, ClusterUpdate | null>;
  timer: NodeJS.Timeout | null;
  catchingUp: boolean;
  again: boolean;
}

export class ClusterLink implements SequenceTracker {
  private readonly states = new WeakMap<Room, PadState>();
  /** Messages for pads being loaded, applied once the room exists. */
  private readonly buffered = new Map<string, ClusterUpdate[]>();
  private readonly gapWaitMs: number;

  constructor(private readonly options: ClusterLinkOptions) {
    this.gapWaitMs = options.gapWaitMs ?? 100;
  }

  start(): Promise<void> {
    return this.options.bus.start({
      update: (message) => this.receive(message),
      awareness: (padId, update) => this.options.rooms.peek(padId)?.awareness.applyFromCluster(update),
      awarenessQuery: (padId) => {
        const update = this.options.rooms.peek(padId)?.awareness.encodeLocal();
        if (update) this.options.bus.publishAwareness(padId, update);
      },
      head: (padId, seq) => {
        const room = this.options.rooms.peek(padId);
        if (room && seq > room.progress.lastSeq) this.catchUp(room);
      },
      reconnected: () => {
        this.options.logger.info('cluster bus reconnected; catching up every loaded pad from the store');
        for (const room of this.options.rooms.all()) {
          this.catchUp(room);
          this.options.bus.publishHead(room.padId, room.progress.lastSeq);
        }
      },
    });
  }

  /** Call before reading the pad from the store: messages from then on are kept for the room. */
  async beforeLoad(padId: string): Promise<void> {
    this.buffered.set(padId, []);
    await this.options.bus.subscribe(padId);
  }

  /** Starts relaying `room`'s awareness and applies what came for it while it loaded. */
  loaded(room: Room): void {
    room.on('localAwareness', (update) => this.options.bus.publishAwareness(room.padId, update));
    const waiting = this.buffered.get(room.padId) ?? [];
    this.buffered.delete(room.padId);
    for (const message of waiting) this.receiveFor(room, message);
    this.options.bus.publishAwarenessQuery(room.padId);
  }

  loadFailed(padId: string): void {
    this.buffered.delete(padId);
    this.options.bus.unsubscribe(padId);
  }

  unloaded(room: Room): void {
    const state = this.states.get(room);
    if (state?.timer) clearTimeout(state.timer);
    this.states.delete(room);
    this.options.bus.unsubscribe(room.padId);
  }

  /** Own commits: publish each update with its seq, then advance the room past them. */
  sequenced(room: Room, writes: readonly PendingWrite[]): void {
    const state = this.stateOf(room);
    for (const write of writes) {
      if (write.seq === undefined || !write.update) continue;
      this.options.bus.publishUpdate({
        padId: room.padId,
        seq: write.seq,
        author: write.author,
        claims: write.claims,
        update: write.update,
      });
      if (write.seq > room.progress.lastSeq) state.ahead.set(write.seq, null);
    }
    this.advance(room, state);
  }

  /**
   * The store took writes for `padId` that no room made (an Etherpad import): every process
   * with the pad loaded reads them from the store.
   */
  storeWritten(padId: string, seq: number): void {
    const room = this.options.rooms.peek(padId);
    if (room) this.catchUp(room);
    this.options.bus.publishHead(padId, seq);
  }

  private receive(message: ClusterUpdate): void {
    const room = this.options.rooms.peek(message.padId);
    if (room) this.receiveFor(room, message);
    else this.buffered.get(message.padId)?.push(message);
  }

  private receiveFor(room: Room, message: ClusterUpdate): void {
    if (room.isClosed || message.seq <= room.progress.lastSeq) return;
    const state = this.stateOf(room);
    if (!state.ahead.has(message.seq)) state.ahead.set(message.seq, message);
    this.advance(room, state);
  }

  /** Applies the known seqs that follow the room's `lastSeq`; starts the gap clock if some are still ahead. */
  private advance(room: Room, state: PadState): void {
    for (;;) {
      const next = room.progress.lastSeq + 1;
      if (!state.ahead.has(next)) break;
      const message = state.ahead.get(next);
      state.ahead.delete(next);
      if (message) room.applyCommitted(message.update, new Map(message.claims.map((client) => [client, message.author])));
      // An own commit (null) was counted when it was committed.
      room.progress.reached(next, message ? 1 : 0);
    }
    if (state.ahead.size === 0) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
    } else if (!state.timer) {
      state.timer = setTimeout(() => {
        state.timer = null;
        this.catchUp(room);
      }, this.gapWaitMs);
      state.timer.unref();
    }
  }

  /** Reads what the room lacks from the store and applies it; one at a time per room. */
  catchUp(room: Room): void {
    if (room.isClosed) return;
    const state = this.stateOf(room);
    if (state.catchingUp) {
      state.again = true;
      return;
    }
    state.catchingUp = true;
    const from = room.progress.lastSeq;
    let failed = false;
    this.options.store
      .readTail(room.padId, from)
      .then((tail) => {
        if (room.isClosed) return;
        if (tail.snapshot) room.applyCommitted(tail.snapshot, tail.clientOwners);
        for (const update of tail.updates) room.applyCommitted(update, tail.clientOwners);
        room.progress.reached(tail.lastSeq, tail.lastSeq - room.progress.lastSeq);
        for (const seq of Array.from(state.ahead.keys())) if (seq <= room.progress.lastSeq) state.ahead.delete(seq);
        this.options.logger.debug({ padId: room.padId, from, to: room.progress.lastSeq }, 'caught up from the store');
      })
      .catch((err: unknown) => {
        this.options.logger.warn({ padId: room.padId, err }, 'cluster catch-up from the store failed; retrying');
        state.again = true;
        failed = true;
      })
      .finally(() => {
        state.catchingUp = false;
        if (room.isClosed) return;
        if (state.again) {
          state.again = false;
          const timer = setTimeout(() => this.catchUp(room), failed ? RETRY_MS : this.gapWaitMs);
          timer.unref();
        } else {
          this.advance(room, state);
        }
      });
  }

  private stateOf(room: Room): PadState {
    let state = this.states.get(room);
    if (!state) {
      state = { ahead: new Map(), timer: null, catchingUp: false, again: false };
      this.states.set(room, state);
    }
    return state;
  }
}
