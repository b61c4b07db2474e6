/**
 * A room is one loaded pad: its Y.Doc, its peers, and the protocol between them: accept a
 * write, hand it to the commit sink, fan it out once committed. Its progress (seq, stored bytes)
 * is a `RoomProgress` it owns; awareness is a `RoomAwareness`; whoever manages it listens to
 * its events (`RoomEvents`).
 *
 * Path of an update: a peer's frame -> `receiveWrite` checks it and hands its change to the
 * commit sink -> once the store has committed it, `committed` has the sequence tracker advance
 * the progress, fans it out to the other peers and acknowledges it to peers that asked for acks.
 * Nothing is visible to anyone else before it is stored; sync step 2 answers wait for the
 * commits they include.
 *
 * A plain append (the usual keystroke) is its own change, so it goes to the commit sink as it
 * arrives and reaches the doc later, with the other appends of the last seconds, in one Yjs
 * transaction (`applyQueuedAppends`; anything that reads the doc applies them first). A Yjs
 * transaction has a fixed cost, several Maps and Sets and two walks of every client's state:
 * at many busy pads, one per keystroke was a sixth of the server's core.
 */
import { EventEmitter } from 'node:events';
import * as Y from 'yjs';
import { CloseCode, CloseReason, encodeSaved } from '../../common/protocol.js';
import { ClientIds } from './client-ids.js';
import { SocketCloseError } from './close-error.js';
import type { CommitSink, CommitTarget, PendingWrite, SequenceTracker } from './commit-path.js';
import { FanOut } from './fan-out.js';
import { syncStep1Frame, syncStep2Frame, updateFrame } from './frames.js';
import { JoinSnapshot } from './join-snapshot.js';
import { QueuedAppends } from './queued-appends.js';
import { RoomAwareness } from './room-awareness.js';
import type { RoomPeer } from './room-peer.js';
import { RoomProgress } from './room-progress.js';
import { asSharedWork } from './shared-work.js';
import { Step1Answers } from './step1-answers.js';
import { applyAccepted, inspectUpdate, type UpdateShape } from './update-guard.js';
import { CLUSTER_ORIGIN, STORE_ORIGIN, type AuthorProfile, type ChangeOrigin, type Logger, type StoredPad } from './types.js';

export interface RoomDeps {
  commits: CommitSink;
  sequences: SequenceTracker;
  /** Largest stored size of a pad, bytes; writes beyond it are refused. */
  maxPadBytes: number;
  logger: Logger;
}

/** What a room tells whoever manages it. */
export interface RoomEvents {
  /** The last peer left. */
  empty: [];
  /** The first plain append since the doc last applied them was queued (see `applyQueuedAppends`). */
  appendQueued: [];
  /** A batch of this room's writes was committed and fanned out. */
  committed: [writes: readonly PendingWrite[]];
  /** The store refused a commit: the doc holds changes that are not stored, so the room must go. */
  broken: [err: Error];
  /** This process's peers changed awareness states (to relay to the other processes). */
  localAwareness: [update: Uint8Array];
  /** A peer's awareness shows a name or colour not seen for its author before. */
  authorProfile: [author: string, profile: AuthorProfile];
}

/**
 * Plain appends queued in one room before the doc applies them anyway. The batch is applied
 * inside the socket callback of the last one, so its size is a stall every writer of the pad
 * waits through (docs/benchmarks.md, durability: four times as many nearly doubled the p99).
 */
const MAX_QUEUED_APPENDS = 64;

export class Room extends EventEmitter<RoomEvents> implements CommitTarget {
  private readonly ydoc: Y.Doc;
  readonly awareness: RoomAwareness;
  readonly peers = new Set<RoomPeer>();
  readonly progress: RoomProgress;
  /** Who may write under each Yjs client id (identity is the server's word). */
  private readonly clientIds: ClientIds;
  private readonly joinSnapshot = new JoinSnapshot();
  private readonly fanOut: FanOut;
  /** Writes accepted (handed to the commit sink) so far / committed so far; durable when equal. */
  private acceptedTicket = 0;
  private committedTicket = 0;
  /** Updates the doc emitted during the current `applyUpdate` (Yjs may emit more than one). */
  private captured: Uint8Array[] = [];
  private readonly waitingStep2: { peer: RoomPeer; frames: Uint8Array[]; ticket: number }[] = [];
  private closed = false;
  /** Answers to sync step 1 by state vector, while the doc stays as it was (see `receiveSyncStep1`). */
  private readonly step1Answers = new Step1Answers();
  /** Plain appends accepted but not yet applied to the doc (see the header). */
  private readonly queued = new QueuedAppends();

  constructor(
    readonly padId: string,
    stored: StoredPad,
    private readonly deps: RoomDeps,
  ) {
    super();
    this.ydoc = new Y.Doc({ gc: true });
    this.progress = new RoomProgress({ ...stored, snapshotBytes: stored.snapshot?.length ?? 0 });
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
    this.awareness = new RoomAwareness(this.ydoc, {
      owned: (client, author) => this.clientIds.announce(client, author),
      changed: (clients) => {
        if (this.peers.size > 0) this.fanOut.addAwareness(clients);
      },
      // Encoded only for a listener (the cluster link): a single process has none.
      local: (clients) => {
        if (this.listenerCount('localAwareness') > 0) this.emit('localAwareness', this.awareness.encode(clients));
      },
      profile: (author, profile) => this.emit('authorProfile', author, profile),
    });
    this.fanOut = new FanOut({
      peers: this.peers,
      updateFrame,
      sentUpdate: (frame) => this.joinSnapshot.fannedOut(frame),
      awarenessFrame: (clients) => this.awareness.frameFor(clients),
      awaitingCommit: () => !this.isDurable,
      commitSoon: () => this.deps.commits.commitSoon(),
    });
  }

  /** The pad's document with every accepted write applied (the queued appends are applied first). */
  currentDoc(): Y.Doc {
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
    peer.send(syncStep1Frame(this.currentDoc()));
    this.awareness.sendAllTo(peer);
  }

  leave(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return;
    this.awareness.removePeer(peer);
    if (this.peers.size === 0) this.emit('empty');
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
   * Applies a write (sync step 2 or update) from a peer or the API and hands its effective
   * change to the commit sink. Throws `SocketCloseError` (with the close code for the peer) if the
   * update is malformed, claims another author's client id, or would pass the pad size cap;
   * nothing is applied or queued then.
   */
  receiveWrite(peer: RoomPeer | null, origin: ChangeOrigin, update: Uint8Array, writeNumber: number, done?: PendingWrite['done']): void {
    if (this.closed) throw new RangeError(`Room ${this.padId} is closed`);
    const author = origin.source === 'store' || origin.source === 'cluster' ? 'system' : origin.author;
    // Checks count the queued appends (clocks; ids and bytes at `accept`): no need to apply them first.
    const { claims, shape } = this.checkWrite(update, author);
    if (peer !== null && origin.source === 'client' && !done && this.queued.isPlainAppend(this.ydoc, shape)) {
      this.queueAppend({ peer, writeNumber, author, claims }, update, shape);
      return;
    }
    this.applyQueuedAppends();
    const { change, failure } = this.applyCaptured(update, origin);
    this.accept({ peer, writeNumber, author, claims, done }, change, failure);
    if (failure !== null) throw new SocketCloseError(CloseCode.invalidPayload, CloseReason.updateNotApplied);
  }

  /** Applies an update from the API and resolves once it is committed. */
  applyApiUpdate(update: Uint8Array, author: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.receiveWrite(null, { source: 'api', author }, update, 0, { resolve, reject });
    });
  }

  /** Hands a write's change to the commit sink (unless it failed having changed nothing). */
  private accept(
    { peer, writeNumber, author, claims, done }: Pick<PendingWrite, 'peer' | 'writeNumber' | 'author' | 'claims' | 'done'>,
    change: Uint8Array | null,
    failure: unknown,
  ): void {
    if (failure !== null && change === null) return;
    for (const client of claims) this.clientIds.claim(client, author);
    this.progress.grew(change?.length ?? 0);
    this.acceptedTicket += 1;
    this.deps.commits.enqueue({ room: this, peer, writeNumber, author, update: change, claims, ticket: this.acceptedTicket, done });
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
    const first = this.queued.length === 0;
    this.queued.push(write.peer, update, shape);
    this.accept(write, update, null);
    if (this.queued.length >= MAX_QUEUED_APPENDS) this.applyQueuedAppends();
    // Once per batch, not per keystroke: the scheduler times a batch from its first append.
    else if (first) this.emit('appendQueued');
  }

  /**
   * Applies the queued appends to the doc, in order, in one transaction. They are accepted
   * already; one that Yjs cannot apply (whatever it applied stays) closes its sender.
   */
  readonly applyQueuedAppends = (): void => {
    if (this.queued.length === 0 || this.closed) return;
    asSharedWork(this.applyAppendsNow);
  };

  private readonly applyAppendsNow = (): void => {
    const appends = this.queued.take();
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

  /** Validates an untrusted update; returns its shape and the client ids it would newly claim for `author`. */
  private checkWrite(update: Uint8Array, author: string): { claims: number[]; shape: UpdateShape } {
    const shape = inspectUpdate(update);
    const claims: number[] = [];
    for (const [client, range] of shape.structs) {
      if (range.to <= this.queued.clockOf(this.ydoc, client)) continue;
      const verdict = this.clientIds.verdict(client, author);
      if (verdict === 'claim') claims.push(client);
      else if (verdict === 'taken') throw new SocketCloseError(CloseCode.policyViolation, CloseReason.foreignClientId);
    }
    // Deletions always pass: they are how a full pad makes room again.
    if (shape.structs.size > 0 && this.progress.wouldExceed(update.length, this.deps.maxPadBytes)) {
      throw new SocketCloseError(CloseCode.padFull, CloseReason.padFull(this.deps.maxPadBytes));
    }
    if (shape.structs.size === 0) this.progress.deleted(this.deps.maxPadBytes);
    return { claims, shape };
  }

  /** Applies a peer's awareness update (see RoomAwareness); throws `SocketCloseError` if it is malformed. */
  receiveAwareness(peer: RoomPeer, update: Uint8Array): void {
    this.awareness.receive(peer, update);
  }

  /** Sends every awareness state (if there are any) to `peer`. */
  sendAwarenessTo(peer: RoomPeer): void {
    this.awareness.sendAllTo(peer);
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
        this.progress.grew(change.length);
        this.fanOut.addUpdate(change, null);
      }
    }
  }

  /** Called by the commit path with this room's writes of one committed batch, in order. */
  committed(writes: readonly PendingWrite[]): void {
    if (this.closed) return;
    let stored = 0;
    for (const write of writes) if (write.update) stored += 1;
    this.progress.committed(stored);
    this.deps.sequences.sequenced(this, writes);
    this.fanOut.addUpdates(writes);
    let acks: Map<RoomPeer, number> | null = null;
    for (const write of writes) {
      if (write.peer?.wantsAcks) (acks ??= new Map()).set(write.peer, write.writeNumber);
      this.committedTicket = write.ticket;
      write.done?.resolve();
    }
    if (acks) for (const [peer, writeNumber] of acks) peer.send(encodeSaved(writeNumber));
    this.releaseWaitingStep2();
    this.emit('committed', writes);
  }

  /** The store refused a batch: the doc holds changes that are not stored, so drop it all. */
  commitFailed(writes: readonly PendingWrite[], err: Error): void {
    for (const write of writes) write.done?.reject(err);
    if (!this.closed) this.emit('broken', err);
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
    this.fanOut.dispose();
    this.awareness.destroy();
    this.queued.take();
    this.ydoc.off('update', this.captureChange);
    this.ydoc.destroy();
    this.removeAllListeners();
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

  private readonly captureChange = (update: Uint8Array, origin: unknown): void => {
    this.step1Answers.clear();
    if (origin !== STORE_ORIGIN) this.captured.push(update);
  };
}
