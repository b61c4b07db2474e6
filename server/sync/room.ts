/**
 * A room is one loaded pad: its Y.Doc, its awareness, and the peers connected to it.
 *
 * Path of an update: a peer's frame -> `receiveWrite` checks it and hands its change to the
 * commit queue -> once the store has committed it, `committed` fans it out to the other peers
 * and acknowledges it to peers that asked for acks. Nothing is visible to anyone else before it
 * is stored; sync step 2 answers wait for the commits they include.
 *
 * A plain append (the usual keystroke) is its own change, so it goes to the commit queue as it
 * arrives and reaches the doc later, with the other appends of the last second, in one Yjs
 * transaction (`applyQueuedAppends`; anything that reads the doc applies them first). A Yjs
 * transaction has a fixed cost, several Maps and Sets and two walks of every client's state:
 * with 1,750 busy pads, one per keystroke was 15% of the server's core.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode, CloseReason, encodeSaved } from '../../common/protocol.js';
import { ClientIds } from './client-ids.js';
import { awarenessFrame, syncStep1Frame, syncStep2Frame, updateFrame } from './frames.js';
import { FanOut, type SharedFrames } from './fan-out.js';
import { JoinSnapshot } from './join-snapshot.js';
import { asSharedWork } from './shared-work.js';
import { Step1Answers } from './step1-answers.js';
import { MAX_NAME_LENGTH, encodeAwarenessEntries, readAwarenessUpdate } from './awareness-guard.js';
import { SocketCloseError } from './close-error.js';
import { applyAccepted, inspectUpdate, type UpdateShape } from './update-guard.js';
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
  /** Client ids this write is the first to use (see `ClientIds`). */
  claims: number[];
  ticket: number;
  /** The seq the store gave `update`, once committed. */
  seq?: number;
  done?: { resolve: () => void; reject: (err: Error) => void };
}

export interface RoomDeps {
  enqueue(write: PendingWrite): void;
  /** Commits the queued writes now if no commit is running (they would otherwise wait a few ms). */
  commitSoon(): void;
  /** Called for each plain append queued to be applied to the doc later (`applyQueuedAppends`). */
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

/** Share of the size cap past which deletions make the pad due for re-measuring (a snapshot). */
const REMEASURE_FULLNESS = 0.75;

/** Awareness client ids one connection may publish: a stock client uses one, its doc's. */
const MAX_AWARENESS_CLIENTS = 1;

/**
 * Plain appends queued in one room before the doc applies them anyway. The batch is applied
 * inside the socket callback of the last one, so its size is a stall: with 200 writers on one
 * pad, saved-ack p99 was 17 ms at 256 and 9-11 ms at 64 (bench/perf-more.ts durability).
 */
const MAX_QUEUED_APPENDS = 64;

/** A peer's plain append, accepted (its commit under way or done), waiting to be applied. */
interface QueuedAppend {
  peer: RoomPeer;
  update: Uint8Array;
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
   * Set by a deletion in a nearly full pad: a snapshot is due soon, since only a snapshot
   * measures what the deletions freed (`storedBytes` counts the log).
   */
  remeasureDue = false;
  /** Who may write under each Yjs client id (identity is the server's word). */
  private readonly clientIds: ClientIds;
  /** Which connection speaks for each awareness client id. */
  private readonly awarenessOwners = new Map<number, RoomPeer>();
  private readonly joinSnapshot = new JoinSnapshot();
  private readonly fanOut = new FanOut({
    peers: this.peers,
    updateFrame,
    sentUpdate: (frame) => this.joinSnapshot.fannedOut(frame),
    awarenessFrame: (clients) => awarenessFrame(this.awareness, clients),
    awaitingCommit: () => !this.isDurable,
    commitSoon: () => this.deps.commitSoon(),
  });
  /** Writes accepted (handed to the commit queue) so far / committed so far; durable when equal. */
  private acceptedTicket = 0;
  private committedTicket = 0;
  /** Updates the doc emitted during the current `applyUpdate` (Yjs may emit more than one). */
  private captured: Uint8Array[] = [];
  private readonly waitingStep2: { peer: RoomPeer; frames: Uint8Array[]; ticket: number }[] = [];
  private closed = false;
  /** Answers to sync step 1 by state vector, while the doc stays as it was (see `receiveSyncStep1`). */
  private readonly step1Answers = new Step1Answers();
  /** Every awareness state in one frame, built on first use after a change (joins and queries). */
  private allAwareness: Uint8Array | null = null;

  /**
   * Plain appends accepted but not yet applied to the doc (see the header); `queuedClocks`
   * holds each client's clock after them, so checks of later writes count them.
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
    this.clientIds = new ClientIds(stored.clientOwners);
    Y.transact(
      this.ydoc,
      () => {
        if (stored.snapshot) Y.applyUpdate(this.ydoc, stored.snapshot, STORE_ORIGIN);
        for (const update of stored.tail) {
          const err = applyAccepted(this.ydoc, update, STORE_ORIGIN);
          if (err !== null) deps.logger.warn({ padId, err }, 'a stored update could not be applied in full');
        }
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

  /**
   * The document without applying the queued appends first: for observers, which see those
   * appends when they are applied.
   */
  get docAsApplied(): Y.Doc {
    return this.ydoc;
  }

  /** Every accepted write is committed. */
  get isDurable(): boolean {
    return this.committedTicket === this.acceptedTicket;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  join(peer: RoomPeer): void {
    this.peers.add(peer);
    peer.send(syncStep1Frame(this.doc));
    this.sendAwarenessTo(peer);
  }

  leave(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return;
    for (const client of peer.awarenessClients) this.awarenessOwners.delete(client);
    if (peer.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(peer.awarenessClients), peer);
    }
    if (this.peers.size === 0) this.deps.onEmpty(this);
  }

  /**
   * Answers a peer's sync step 1 with what it lacks, once all of that is committed. Answers are
   * kept per state vector until the doc changes: encoding one walks the whole delete set (3 ms
   * on a pad of 150,000 structs), and a client may ask again and again.
   */
  receiveSyncStep1(peer: RoomPeer, stateVector: Uint8Array): void {
    this.applyQueuedAppends();
    let answer = this.step1Answers.get(stateVector);
    if (!answer) {
      const shared = this.joinSnapshot.answer(this.ydoc, stateVector, this.acceptedTicket);
      answer = shared ?? { frames: [syncStep2Frame(Y.encodeStateAsUpdate(this.ydoc, stateVector))], ticket: this.acceptedTicket };
      this.step1Answers.set(stateVector, answer);
    }
    if (answer.ticket <= this.committedTicket) for (const frame of answer.frames) peer.send(frame);
    else this.waitingStep2.push({ peer, ...answer });
  }

  /**
   * Applies a write (sync step 2 or update) from a peer or the API and queues its effective
   * change for commit. Throws `SocketCloseError` (with the close code for the peer) if the update
   * is malformed, claims another author's client id, or would pass the pad size cap; nothing
   * is applied or queued then.
   */
  receiveWrite(peer: RoomPeer | null, origin: ChangeOrigin, update: Uint8Array, writeNumber: number, done?: PendingWrite['done']): void {
    if (this.closed) throw new RangeError(`Room ${this.padId} is closed`);
    const author = origin.source === 'store' || origin.source === 'cluster' ? 'system' : origin.author;
    const queueable = peer !== null && origin.source === 'client' && !done;
    // Checks count the queued appends (clocks; ids and bytes at `accept`): no need to apply them first.
    const { claims, shape } = this.checkWrite(update, author);
    if (queueable && this.isPlainAppend(shape)) {
      this.queueAppend({ peer, writeNumber, author, claims }, update, shape);
      return;
    }
    this.applyQueuedAppends();
    const { change, failure } = this.applyCaptured(update, origin);
    this.accept({ peer, writeNumber, author, claims, done }, change, failure);
    if (failure !== null) throw new SocketCloseError(CloseCode.invalidPayload, CloseReason.updateNotApplied);
  }

  /** Hands a write's change to the commit queue (unless it failed having changed nothing). */
  private accept(
    { peer, writeNumber, author, claims, done }: Pick<PendingWrite, 'peer' | 'writeNumber' | 'author' | 'claims' | 'done'>,
    change: Uint8Array | null,
    failure: unknown,
  ): void {
    if (failure !== null && change === null) return;
    for (const client of claims) this.clientIds.claim(client, author);
    this.storedBytes += change?.length ?? 0;
    this.acceptedTicket += 1;
    this.deps.enqueue({ room: this, peer, writeNumber, author, update: change, claims, ticket: this.acceptedTicket, done });
  }

  /**
   * Accepts a plain append as it is (structs that wait for ones the doc lacks are in it too:
   * storing and sending all of it is harmless, Yjs skips what it has) and queues it for the doc.
   */
  private queueAppend(
    write: Pick<PendingWrite, 'writeNumber' | 'author' | 'claims'> & { peer: RoomPeer },
    update: Uint8Array,
    shape: UpdateShape,
  ): void {
    // Later writes are checked against the queued ones: their clocks (ids and bytes are
    // counted by `accept`).
    for (const [client, range] of shape.structs) this.queuedClocks.set(client, range.to);
    this.queuedAppends.push({ peer: write.peer, update });
    this.accept(write, update, null);
    if (this.queuedAppends.length >= MAX_QUEUED_APPENDS) this.applyQueuedAppends();
    else this.deps.appendQueued(this);
  }

  /**
   * Applies the queued appends to the doc, in order, in one transaction. They are accepted
   * already; one that Yjs cannot apply (whatever it applied stays) closes its sender.
   */
  readonly applyQueuedAppends = (): void => {
    if (this.queuedAppends.length === 0 || this.closed) return;
    asSharedWork(this.applyAppendsNow);
  };

  private readonly applyAppendsNow = (): void => {
    const appends = this.queuedAppends;
    this.queuedAppends = [];
    this.queuedClocks.clear();
    const failed: RoomPeer[] = [];
    this.step1Answers.clear();
    this.ydoc.off('update', this.captureChange);
    try {
      Y.transact(this.ydoc, () => {
        for (const { peer, update } of appends) {
          const err = applyAccepted(this.ydoc, update);
          if (err === null) continue;
          this.deps.logger.warn({ padId: this.padId, err }, 'an accepted update could not be applied in full');
          failed.push(peer);
        }
      });
    } finally {
      this.ydoc.on('update', this.captureChange);
    }
    for (const peer of failed) peer.close(CloseCode.invalidPayload, CloseReason.updateNotApplied);
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

  /** Validates an untrusted update; returns its shape and the client ids it would newly claim for `author`. */
  private checkWrite(update: Uint8Array, author: string): { claims: number[]; shape: UpdateShape } {
    const shape = inspectUpdate(update);
    const claims: number[] = [];
    for (const [client, range] of shape.structs) {
      if (range.to <= this.clockOf(client)) continue;
      const verdict = this.clientIds.verdict(client, author);
      if (verdict === 'claim') claims.push(client);
      else if (verdict === 'taken') throw new SocketCloseError(CloseCode.policyViolation, CloseReason.foreignClientId);
    }
    // Deletions always pass: they are how a full pad makes room again.
    if (shape.structs.size > 0 && this.storedBytes + update.length > this.deps.maxPadBytes) {
      throw new SocketCloseError(CloseCode.padFull, CloseReason.padFull(this.deps.maxPadBytes));
    }
    if (shape.structs.size === 0 && this.storedBytes > this.deps.maxPadBytes * REMEASURE_FULLNESS) this.remeasureDue = true;
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
    const entries = readAwarenessUpdate(update);
    const own = entries.filter((entry) => {
      const owner = this.awarenessOwners.get(entry.client);
      if (owner !== undefined) return owner === peer;
      if (entry.json === 'null' || peer.awarenessClients.size >= MAX_AWARENESS_CLIENTS) return false;
      this.awarenessOwners.set(entry.client, peer);
      peer.awarenessClients.add(entry.client);
      this.clientIds.announce(entry.client, peer.author);
      return true;
    });
    if (own.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(own), peer);
  }

  /** Sends every awareness state (if there are any) to `peer`. */
  sendAwarenessTo(peer: RoomPeer): void {
    const states = this.awareness.getStates();
    if (states.size === 0) return;
    this.allAwareness ??= awarenessFrame(this.awareness, Array.from(states.keys()));
    peer.send(this.allAwareness);
  }

  /**
   * Applies an update that is already committed (by another process, or read back from the
   * store to fill a gap): fanned out to every local peer, never committed again.
   */
  applyCommitted(update: Uint8Array, clientOwners?: ReadonlyMap<number, string>): void {
    if (this.closed) return;
    if (clientOwners) this.clientIds.learn(clientOwners);
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
    let acks: Map<RoomPeer, number> | null = null;
    for (const write of writes) {
      if (write.peer?.wantsAcks) (acks ??= new Map()).set(write.peer, write.writeNumber);
      this.committedTicket = write.ticket;
      write.done?.resolve();
    }
    if (acks) for (const [peer, writeNumber] of acks) peer.send(encodeSaved(writeNumber));
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
    this.step1Answers.clear();
    this.allAwareness = null;
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
    this.step1Answers.clear();
    if (origin !== STORE_ORIGIN) this.captured.push(update);
  };

  private readonly broadcastAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    this.allAwareness = null;
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
