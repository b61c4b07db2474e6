/**
 * What the sync layer needs to serve one pad from several server processes: a bus that carries
 * committed updates and awareness between them. `cluster/redis-bus.ts` implements it with Redis
 * pub/sub; `sync/` imports no implementation.
 *
 * The bus is a fast path only. The store is the log: an update is published after it is
 * committed, and a process that sees a gap in a pad's seqs (a dropped or late message, a lost
 * connection) reads what it missed from the store.
 */

/** A committed update as another process published it. */
export interface ClusterUpdate {
  padId: string;
  seq: number;
  author: string;
  /** Yjs client ids this update was the first to use (they now belong to `author`). */
  claims: readonly number[];
  update: Uint8Array;
}

export interface ClusterHandlers {
  update(message: ClusterUpdate): void;
  /** Raw y-protocols awareness update from another process's peers. */
  awareness(padId: string, update: Uint8Array): void;
  /** Another process just loaded `padId` and asks for the awareness of everyone here. */
  awarenessQuery(padId: string): void;
  /**
   * Another process's pad has committed up to `seq` (announced after it reconnects, since what it
   * published while disconnected is lost): catch up from the store if behind.
   */
  head(padId: string, seq: number): void;
  /** The bus reconnected after a loss: messages may have been dropped, resync from the store. */
  reconnected(): void;
}

export interface ClusterBus {
  /** This process's id, unique in the cluster; messages from it are not handed back to it. */
  readonly nodeId: string;
  start(handlers: ClusterHandlers): Promise<void>;
  /** Starts receiving a pad's messages; resolves once the subscription is active. */
  subscribe(padId: string): Promise<void>;
  unsubscribe(padId: string): void;
  /** Fire and forget: a lost publish is caught up from the store by the others. */
  publishUpdate(message: ClusterUpdate): void;
  publishAwareness(padId: string, update: Uint8Array): void;
  publishAwarenessQuery(padId: string): void;
  publishHead(padId: string, seq: number): void;
  /** Shares how many people this process has on each pad; forgotten after `ttlMs` unless shared again. */
  sharePresence(counts: ReadonlyMap<string, number>, ttlMs: number): Promise<void>;
  /** People on each pad on the other processes, summed, as they last shared them. */
  otherPresence(): Promise<Map<string, number>>;
  close(): Promise<void>;
}
