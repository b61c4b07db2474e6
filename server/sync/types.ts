/**
 * What the sync layer needs from the rest of the server. `store/` implements `SyncStore`;
 * `sync/` imports no implementation.
 */
import type { FastifyBaseLogger } from 'fastify';

export type Logger = FastifyBaseLogger;

/**
 * One accepted update, as committed to the pad's append-only log. `seq` is its position in the
 * log, from 1: assigned once, never reused. Rows may later be merged by the history indexer
 * (a merged row keeps the seq of the last update it replaces), so readers must tolerate gaps.
 */
export interface UpdateRecord extends NewUpdate {
  seq: number;
}

/** An update to append: the store assigns its seq (see `SyncStore.appendUpdates`). */
export interface NewUpdate {
  padId: string;
  /**
   * A seq chosen by the caller. Only for a single writer that owns the log (tests and tools on
   * SQLite); servers leave it out and the store assigns the next seq of the pad.
   */
  seq?: number;
  /** Unix time, ms. */
  time: number;
  /** The author id of the connection (or API caller) that sent it. */
  author: string;
  data: Uint8Array;
  /** Yjs client ids this update is the first to use: they now belong to `author`. */
  claims: readonly number[];
}

/** What a room needs to rebuild its document: the latest snapshot plus the updates after it. */
export interface StoredPad {
  snapshot: Uint8Array | null;
  tail: Uint8Array[];
  /** seq of the last update in the log (0 for a new pad). */
  lastSeq: number;
  /** Updates stored after the snapshot (the tail length). */
  updatesSinceSnapshot: number;
  /** Which author owns each Yjs client id used in this pad. */
  clientOwners: Map<number, string>;
  /** Bytes of the snapshot and tail: the pad's stored size, for the size cap. */
  storedBytes: number;
}

/** What a pad's log holds after a given seq: for a room that may have missed updates. */
export interface StoredTail {
  /** The latest snapshot if it is newer than the seq asked about (older rows may be gone). */
  snapshot: Uint8Array | null;
  /** Updates after the seq asked about (or after the snapshot), oldest first. */
  updates: Uint8Array[];
  /** seq of the last committed update: everything up to it is in `snapshot` + `updates`. */
  lastSeq: number;
  clientOwners: Map<number, string>;
}

export interface SyncStore {
  /**
   * Loads a pad; one never written to loads empty and stays unknown to the store (no record:
   * opening a socket, even a viewer's, must not create pads).
   */
  loadPad(padId: string): Promise<StoredPad>;
  /**
   * Commits all records in one transaction (all or none are stored) and returns the seq each
   * record got, in order. A pad's first update creates its record (with its read-only id). Seqs of one pad are consecutive within a call and increase across
   * calls, also with several server processes writing the same pad.
   */
  appendUpdates(records: readonly NewUpdate[]): Promise<number[]>;
  /** What was committed to `padId` after `afterSeq` (catch-up of a room that missed updates). */
  readTail(padId: string, afterSeq: number): Promise<StoredTail>;
  /** Stores the full state as of `seq`, so later loads start from it. */
  writeSnapshot(padId: string, seq: number, state: Uint8Array): Promise<void>;
}

/**
 * Why a change was made to a room's document. Fan-out and persistence decide by `source`:
 * `store` changes are already stored; `client` and `api` changes must be committed first.
 */
export type ChangeOrigin =
  | { readonly source: 'store' }
  /** Committed by another server process and received over the cluster bus (or caught up from the store). */
  | { readonly source: 'cluster' }
  | { readonly source: 'client'; readonly connectionId: number; readonly author: string }
  | { readonly source: 'api'; readonly author: string };

export const STORE_ORIGIN: ChangeOrigin = Object.freeze({ source: 'store' });
export const CLUSTER_ORIGIN: ChangeOrigin = Object.freeze({ source: 'cluster' });

/**
 * Work that one server process at a time should do (snapshots, history compaction): a
 * PostgreSQL advisory lock with several processes, a plain call with the embedded store.
 */
export interface WorkLease {
  /** Runs `fn` holding the lock `key`, waiting for it if another process holds it. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` if no other process holds `key`; resolves false (without running it) otherwise. */
  tryRun(key: string, fn: () => Promise<void>): Promise<boolean>;
}

/** A lease for a single process: every call runs. */
export const LOCAL_LEASE: WorkLease = Object.freeze({
  run: <T>(_key: string, fn: () => Promise<T>) => fn(),
  tryRun: async (_key: string, fn: () => Promise<void>) => {
    await fn();
    return true;
  },
});

/**
 * Author ids of connections without the author cookie (scripts, stock providers in Node) start
 * with this: each such connection gets a new one, and their client ids are open to each other
 * (see ClientIds). Cookie author ids never do.
 */
export const ANONYMOUS_AUTHOR_PREFIX = 'anon.';

export const isAnonymousAuthor = (author: string): boolean => author.startsWith(ANONYMOUS_AUTHOR_PREFIX);

/** The name and colour an author showed in awareness, capped in length. */
export interface AuthorProfile {
  name: string;
  color: string;
}
