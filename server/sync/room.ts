/**
 * A room is one loaded pad: its Y.Doc, its awareness, and the peers connected to it.
 *
 * Path of an update: a peer's frame -> `receiveWrite` applies it to the doc and hands the
 * resulting change to the commit queue -> once the store has committed it, `committed` fans it
 * out to the other peers and acknowledges it to peers that asked for acks. Nothing is visible
 * to anyone else before it is stored; sync step 2 answers wait for the commits they include.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode, encodeSaved } from '../../common/protocol.js';
import { awarenessFrame, syncStep1Frame, syncStep2Frame, updateFrame } from './frames.js';
import { FanOut, type SharedFrames } from './fan-out.js';
import { JoinSnapshot } from './join-snapshot.js';
import { InvalidAwareness, MAX_NAME_LENGTH, encodeAwarenessEntries, readAwarenessUpdate } from './awareness-guard.js';
import { InvalidUpdate, inspectUpdate, type UpdateShape } from './update-guard.js';
import { CLUSTER_ORIGIN, STORE_ORIGIN, type AuthorProfile, type ChangeOrigin, type Logger, type StoredPad } from './types.js';

/** What a room needs from a connection. */
export interface RoomPeer {
  readonly id: number;
  readonly author: string;
  readonly origin: ChangeOrigin;
  readonly wantsAcks: boolean;
  /** False for viewers: their write frames are dropped. */
  readonly canWrite: boolean;
  /** Awareness client ids this peer has published. */
  readonly awarenessClients: Set<number>;
  send(frame: Uint8Array): void;
  /** The same frames as many other peers get (a fan-out batch). */
  sendShared(frames: SharedFrames): void;
  close(code: number, reason: string): void;
}

/** One write waiting for its commit. `update` is null when the write changed nothing. */
export interface PendingWrite {
  room: Room;
  peer: RoomPeer | null;
  /** The peer's count of write frames up to and including this one (for `saved` acks). */
  writeNumber: number;
  author: string;
  update: Uint8Array | null;
  /** Client ids this write is the first to use (see `Room.clientOwners`). */
  claims: number[];
  ticket: number;
  /** The seq the store gave `update`, once committed. */
  seq?: number;
  done?: { resolve: () => void; reject: (err: Error) => void };
}

export interface RoomDeps {
  enqueue(write: PendingWrite): void;
  /** Called for each plain append queued for the turn's batched apply (see `applyQueuedAppends`). */
  appendQueued(room: Room): void;
  /** Called when the last peer leaves. */
  onEmpty(room: Room): void;
  /** Called after each committed batch has been fanned out. */
  afterCommit(room: Room): void;
  /** Called when a peer's awareness shows a name or colour not seen for its author before. */
  onAuthorProfile(author: string, profile: AuthorProfile): void;
  /** Largest stored size of a pad, bytes; writes beyond it are refused. */
  maxPadBytes: number;
  /** Called when the store refused a commit: the room must be dropped and reloaded. */
  onBroken(room: Room, err: Error): void;
  /** Called with this room's writes of a committed batch (their `seq` set), before fan-out. */
  onSequenced(room: Room, writes: readonly PendingWrite[]): void;
  /** Called with an awareness update made by this process's peers (to relay to other processes). */
  onLocalAwareness?(room: Room, update: Uint8Array): void;
  logger: Logger;
}

/** A write the room will not take, with the close code its sender gets. */
export class WriteRefused extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'WriteRefused';
  }
}

/** Awareness client ids one connection may publish: a stock client uses one, its doc's. */
const MAX_AWARENESS_CLIENTS = 1;

/** A peer's plain append, accepted and waiting to be applied with the others of this turn. */
interface QueuedAppend {
  peer: RoomPeer;
  origin: ChangeOrigin;
  update: Uint8Array;
  writeNumber: number;
  author: string;
  claims: number[];
  shape: UpdateShape;
}

export class Room {
  private readonly ydoc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<RoomPeer>();
  /**
   * Every update of the log up to this seq is in the doc (with several processes, later ones
   * may be too; see ClusterLink). Snapshots are written as of this seq.
   */
  lastSeq: number;
  updatesSinceSnapshot: number;
  /** Stored bytes (snapshot + tail + accepted updates): what the size cap counts. */
  storedBytes: number;
  /** Size of the latest snapshot (0 without one): later snapshots wait for a quarter of it in new bytes. */
  snapshotBytes: number;
  /**
   * Which author owns each Yjs client id: the first to send structs under it. Another author's
   * update that adds structs under an owned id is refused (identity is the server's word).
   */
  private readonly clientOwners: Map<number, string>;
  /** Which connection speaks for each awareness client id. */
  private readonly awarenessOwners = new Map<number, RoomPeer>();
  private readonly joinSnapshot = new JoinSnapshot();
  private readonly fanOut = new FanOut({
    peers: this.peers,
    updateFrame,
    sentUpdate: (frame) => this.joinSnapshot.fannedOut(frame),
    awarenessFrame: (clients) => awarenessFrame(this.awareness, clients),
  });
  /** Writes applied to the doc so far / committed so far; the doc is durable when equal. */
  private appliedTicket = 0;
  private committedTicket = 0;
  /** Updates the doc emitted during the current `applyUpdate` (Yjs may emit more than one). */
  private captured: Uint8Array[] = [];
  private readonly waitingStep2: { peer: RoomPeer; frames: Uint8Array[]; ticket: number }[] = [];
  private closed = false;

  /**
   * Plain appends from peers accepted during this turn of the event loop, applied together in
   * one Yjs transaction at its end (or before anything else reads the doc). Yjs walks every
   * client's state twice per transaction: with 1,000 authors in one pad, one transaction per
   * update was 16% of the server's time. `queuedClocks` holds each client's clock after them.
   */
  private queuedAppends: QueuedAppend[] = [];
  private readonly queuedClocks = new Map<number, number>();

  constructor(
    readonly padId: string,
    stored: StoredPad,
    private readonly deps: RoomDeps,
  ) {
    this.ydoc = new Y.Doc({ gc: true });
    this.lastSeq = stored.lastSeq;
    this.updatesSinceSnapshot = stored.updatesSinceSnapshot;
    this.storedBytes = stored.storedBytes;
    this.snapshotBytes = stored.snapshot?.length ?? 0;
    this.clientOwners = stored.clientOwners;
    Y.transact(
      this.ydoc,
      () => {
        if (stored.snapshot) Y.applyUpdate(this.ydoc, stored.snapshot, STORE_ORIGIN);
        for (const update of stored.tail) Y.applyUpdate(this.ydoc, update, STORE_ORIGIN);
      },
      STORE_ORIGIN,
    );
    this.joinSnapshot.seed(this.ydoc, stored.snapshot, stored.tail);
    this.ydoc.on('update', this.captureChange);
    this.awareness = new awarenessProtocol.Awareness(this.ydoc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.broadcastAwareness);
  }

  /** The pad's document, every accepted write applied. */
  get doc(): Y.Doc {
    this.applyQueuedAppends();
    return this.ydoc;
  }

  get isDurable(): boolean {
    return this.queuedAppends.length === 0 && this.committedTicket === this.appliedTicket;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  join(peer: RoomPeer): void {
    this.peers.add(peer);
    peer.send(syncStep1Frame(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) peer.send(awarenessFrame(this.awareness, Array.from(states.keys())));
  }

  leave(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return;
    for (const client of peer.awarenessClients) this.awarenessOwners.delete(client);
    if (peer.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(peer.awarenessClients), peer);
    }
    if (this.peers.size === 0) this.deps.onEmpty(this);
  }

  /** Answers a peer's sync step 1 with what it lacks, once all of that is committed. */
  receiveSyncStep1(peer: RoomPeer, stateVector: Uint8Array): void {
    this.applyQueuedAppends();
    const shared = this.joinSnapshot.answer(this.ydoc, stateVector, this.appliedTicket);
    const answer = shared ?? { frames: [syncStep2Frame(Y.encodeStateAsUpdate(this.ydoc, stateVector))], ticket: this.appliedTicket };
    if (answer.ticket <= this.committedTicket) for (const frame of answer.frames) peer.send(frame);
    else this.waitingStep2.push({ peer, ...answer });
  }

  /**
   * Applies a write (sync step 2 or update) from a peer or the API and queues its effective
   * change for commit. Throws `WriteRefused` (with the close code for the peer) if the update
   * is malformed, claims another author's client id, or would pass the pad size cap; nothing
   * is applied or queued then.
   */
  receiveWrite(
    peer: RoomPeer | null,
    origin: ChangeOrigin,
    update: Uint8Array,
    writeNumber: number,
    done?: PendingWrite['done'],
  ): void {
    if (this.closed) throw new RangeError(`Room ${this.padId} is closed`);
    const author = origin.source === 'store' || origin.source === 'cluster' ? 'system' : origin.author;
    const queueable = peer !== null && origin.source === 'client' && !done;
    if (!queueable) this.applyQueuedAppends();
    const { claims, shape } = this.checkWrite(update, author);
    if (queueable && this.isPlainAppend(shape)) {
      this.queueAppend({ peer, origin, update, writeNumber, author, claims, shape });
      return;
    }
    this.applyQueuedAppends();
    const { change, failure } = this.applyCaptured(update, origin);
    this.accept({ peer, writeNumber, author, claims, done }, change, failure);
    if (failure !== null) throw new WriteRefused(CloseCode.invalidPayload, 'update could not be applied');
  }

  /** Hands an applied write's change to the commit queue (unless it failed having changed nothing). */
  private accept(
    { peer, writeNumber, author, claims, done }: Pick<PendingWrite, 'peer' | 'writeNumber' | 'author' | 'claims' | 'done'>,
    change: Uint8Array | null,
    failure: unknown,
  ): void {
    if (failure !== null && change === null) return;
    for (const client of claims) this.clientOwners.set(client, author);
    this.storedBytes += change?.length ?? 0;
    this.appliedTicket += 1;
    this.deps.enqueue({ room: this, peer, writeNumber, author, update: change, claims, ticket: this.appliedTicket, done });
  }

  private queueAppend(write: QueuedAppend): void {
    // Later writes in this turn are checked against the queued ones: ids they claim, their
    // clocks, their bytes toward the size cap.
    for (const client of write.claims) this.clientOwners.set(client, write.author);
    for (const [client, range] of write.shape.structs) this.queuedClocks.set(client, range.to);
    this.storedBytes += write.update.length;
    this.queuedAppends.push(write);
    this.deps.appendQueued(this);
  }

  /** Applies the queued appends in one transaction, in order, and queues them for commit. */
  readonly applyQueuedAppends = (): void => {
    if (this.queuedAppends.length === 0 || this.closed) return;
    const writes = this.queuedAppends;
    this.queuedAppends = [];
    this.queuedClocks.clear();
    const results: { change: Uint8Array | null; failure: unknown }[] = [];
    this.ydoc.off('update', this.captureChange);
    try {
      Y.transact(this.ydoc, () => {
        for (const write of writes) {
          try {
            Y.applyUpdate(this.ydoc, write.update, write.origin);
            // Structs that wait for ones the doc lacks are in the update too: storing and sending
            // all of it is harmless (Yjs skips what it has).
            results.push({ change: write.update, failure: null });
          } catch (err) {
            results.push({ change: this.integratedPart(write.shape), failure: err });
          }
        }
      });
    } finally {
      this.ydoc.on('update', this.captureChange);
    }
    writes.forEach((write, i) => {
      const { change, failure } = results[i];
      this.storedBytes -= write.update.length;
      this.accept(write, change, failure);
      if (failure !== null) write.peer.close(CloseCode.invalidPayload, 'update could not be applied');
    });
  };

  /**
   * Applies `update` and captures the doc's 'update' events: only what was new, which may differ
   * from `update` (content the doc had, structs that wait for missing ones, a retry of earlier
   * waiting structs). Whatever Yjs integrated before failing is in the doc now, so it is
   * committed like any other change.
   */
  private applyCaptured(update: Uint8Array, origin: ChangeOrigin): { change: Uint8Array | null; failure: unknown } {
    this.captured = [];
    let failure: unknown = null;
    try {
      Y.applyUpdate(this.ydoc, update, origin);
    } catch (err) {
      failure = err;
    }
    const captured = this.captured;
    this.captured = [];
    return { change: captured.length === 0 ? null : captured.length === 1 ? captured[0] : Y.mergeUpdates(captured), failure };
  }

  /**
   * Whether `update` only appends: structs that start exactly at each client's clock (queued
   * appends counted), nothing waiting in the doc. Then the update itself is its change, and Yjs
   * need not encode one: with 800 clients in a pad that encoding (it walks every client's
   * state) was 40% of applying an update (bench/perf.ts one-pad).
   */
  private isPlainAppend(shape: UpdateShape): boolean {
    const store = this.ydoc.store;
    if (shape.structs.size === 0 || store.pendingStructs !== null || store.pendingDs !== null) return false;
    for (const [client, range] of shape.structs) if (range.from !== this.clockOf(client)) return false;
    return true;
  }

  /** A client's clock once the queued appends are applied. */
  private clockOf(client: number): number {
    return this.queuedClocks.get(client) ?? Y.getState(this.ydoc.store, client);
  }

  /** After a plain append failed midway: what of it was integrated, to commit as the captured path would. */
  private integratedPart(shape: UpdateShape): Uint8Array | null {
    const before = new Map(Y.decodeStateVector(Y.encodeStateVector(this.ydoc)));
    let advanced = false;
    for (const [client, range] of shape.structs) {
      if (Y.getState(this.ydoc.store, client) > range.from) advanced = true;
      before.set(client, range.from);
    }
    return advanced ? Y.encodeStateAsUpdate(this.ydoc, Y.encodeStateVector(before)) : null;
  }

  /** Validates an untrusted update; returns its shape and the client ids it would newly claim for `author`. */
  private checkWrite(update: Uint8Array, author: string): { claims: number[]; shape: UpdateShape } {
    let shape;
    try {
      shape = inspectUpdate(update);
    } catch (err) {
      throw new WriteRefused(CloseCode.invalidPayload, err instanceof InvalidUpdate ? err.message : 'malformed update');
    }
    const claims: number[] = [];
    for (const [client, range] of shape.structs) {
      if (range.to <= this.clockOf(client)) continue;
      const owner = this.clientOwners.get(client);
      if (owner === undefined) claims.push(client);
      else if (owner !== author) throw new WriteRefused(CloseCode.policyViolation, 'update uses a client id that belongs to another author');
    }
    if (this.storedBytes + update.length > this.deps.maxPadBytes) {
      throw new WriteRefused(CloseCode.messageTooBig, `the pad is full (${Math.round(this.deps.maxPadBytes / 1e6)} MB); start a new pad`);
    }
    return { claims, shape };
  }

  /** Applies an update from the API and resolves once it is committed. */
  applyApiUpdate(update: Uint8Array, author: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.receiveWrite(null, { source: 'api', author }, update, 0, { resolve, reject });
    });
  }

  /**
   * Applies a peer's awareness update after cleaning it. A peer speaks only for the awareness
   * client id it first published; entries for other ids are dropped (a stock client echoes the
   * states it hears from others, so they are no reason to close it).
   */
  receiveAwareness(peer: RoomPeer, update: Uint8Array): void {
    let entries;
    try {
      entries = readAwarenessUpdate(update);
    } catch (err) {
      throw new WriteRefused(CloseCode.invalidPayload, err instanceof InvalidAwareness ? err.message : 'malformed awareness update');
    }
    const own = entries.filter((entry) => {
      const owner = this.awarenessOwners.get(entry.client);
      if (owner !== undefined) return owner === peer;
      if (entry.json === 'null' || peer.awarenessClients.size >= MAX_AWARENESS_CLIENTS) return false;
      this.awarenessOwners.set(entry.client, peer);
      peer.awarenessClients.add(entry.client);
      return true;
    });
    if (own.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(own), peer);
  }

  sendAwarenessTo(peer: RoomPeer): void {
    const clients = Array.from(this.awareness.getStates().keys());
    peer.send(awarenessFrame(this.awareness, clients));
  }

  /**
   * Applies an update that is already committed (by another process, or read back from the
   * store to fill a gap): fanned out to every local peer, never committed again.
   */
  applyCommitted(update: Uint8Array, clientOwners?: ReadonlyMap<number, string>): void {
    if (this.closed) return;
    if (clientOwners) for (const [client, author] of clientOwners) if (!this.clientOwners.has(client)) this.clientOwners.set(client, author);
    this.applyQueuedAppends();
    this.captured = [];
    try {
      Y.applyUpdate(this.ydoc, update, CLUSTER_ORIGIN);
    } finally {
      const captured = this.captured;
      this.captured = [];
      for (const change of captured) {
        this.storedBytes += change.length;
        this.fanOut.addUpdate(change, null);
      }
    }
  }

  /** Applies awareness states relayed from another process and shows them to local peers. */
  applyClusterAwareness(update: Uint8Array): void {
    if (this.closed) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, CLUSTER_ORIGIN);
  }

  /** Awareness states of this process's own peers, encoded (to answer another process). */
  encodeLocalAwareness(): Uint8Array | null {
    const clients = Array.from(this.awarenessOwners.keys());
    return clients.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients) : null;
  }

  /** Called by the commit queue with this room's writes of one committed batch, in order. */
  committed(writes: readonly PendingWrite[]): void {
    if (this.closed) return;
    this.deps.onSequenced(this, writes);
    this.fanOut.addUpdates(writes);
    const acks = new Map<RoomPeer, number>();
    for (const write of writes) {
      if (write.peer?.wantsAcks) acks.set(write.peer, write.writeNumber);
      this.committedTicket = write.ticket;
      write.done?.resolve();
    }
    for (const [peer, writeNumber] of acks) peer.send(encodeSaved(writeNumber));
    this.releaseWaitingStep2();
    this.deps.afterCommit(this);
  }

  /** The store refused a batch: the doc holds changes that are not stored, so drop it all. */
  commitFailed(writes: readonly PendingWrite[], err: Error): void {
    for (const write of writes) write.done?.reject(err);
    if (!this.closed) this.deps.onBroken(this, err);
  }

  /** Closes every peer and frees the document. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const peer of Array.from(this.peers)) peer.close(code, reason);
    this.peers.clear();
    this.waitingStep2.length = 0;
    this.joinSnapshot.clear();
    this.fanOut.dispose();
    this.awareness.off('update', this.broadcastAwareness);
    this.awareness.destroy();
    this.queuedAppends = [];
    this.queuedClocks.clear();
    this.ydoc.off('update', this.captureChange);
    this.ydoc.destroy();
  }

  private releaseWaitingStep2(): void {
    let released = 0;
    while (released < this.waitingStep2.length && this.waitingStep2[released].ticket <= this.committedTicket) {
      const { peer, frames } = this.waitingStep2[released];
      if (this.peers.has(peer)) for (const frame of frames) peer.send(frame);
      released += 1;
    }
    if (released > 0) this.waitingStep2.splice(0, released);
  }

  private readonly lastProfiles = new WeakMap<RoomPeer, string>();

  /** Remembers the name and colour an author uses, for history and authorship views. */
  private noteProfile(peer: RoomPeer, state: Record<string, unknown> | undefined): void {
    const user = state?.user as { name?: unknown; color?: unknown } | undefined;
    if (!user || typeof user.name !== 'string') return;
    const profile = {
      name: user.name.slice(0, MAX_NAME_LENGTH),
      color: typeof user.color === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(user.color) ? user.color : '',
    };
    const key = `${profile.name}\u0000${profile.color}`;
    if (this.lastProfiles.get(peer) === key) return;
    this.lastProfiles.set(peer, key);
    this.deps.onAuthorProfile(peer.author, profile);
  }

  private readonly captureChange = (update: Uint8Array, origin: unknown): void => {
    if (origin !== STORE_ORIGIN) this.captured.push(update);
  };

  private readonly broadcastAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const owner = origin instanceof Object && this.peers.has(origin as RoomPeer) ? (origin as RoomPeer) : null;
    if (owner) {
      for (const id of added.concat(updated)) this.noteProfile(owner, this.awareness.getStates().get(id));
    }
    const changed = added.concat(updated, removed);
    if (changed.length > 0 && this.peers.size > 0) this.fanOut.addAwareness(changed);
    // A peer's own change (or its states removed as it left) goes to the other processes too.
    const local = owner !== null || (origin instanceof Object && origin !== CLUSTER_ORIGIN && 'awarenessClients' in origin);
    if (local && changed.length > 0 && this.deps.onLocalAwareness) {
      this.deps.onLocalAwareness(this, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    }
  };
}
