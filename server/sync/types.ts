/**
 * What the sync layer needs from the rest of the server. `store/` implements `SyncStore`;
 * `sync/` imports no implementation.
 */
import type { FastifyBaseLogger } from 'fastify';

export type Logger = FastifyBaseLogger;

/** One accepted update, as committed to the pad's append-only log. */
export interface UpdateRecord {
  padId: string;
  /** Position in the pad's log, from 1, without gaps. */
  seq: number;
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

export interface SyncStore {
  /** Loads a pad, creating its record if it does not exist yet. */
  loadPad(padId: string): Promise<StoredPad>;
  /** Commits all records in one transaction: all or none are stored. */
  appendUpdates(records: readonly UpdateRecord[]): Promise<void>;
  /** Stores the full state as of `seq`, so later loads start from it. */
  writeSnapshot(padId: string, seq: number, state: Uint8Array): Promise<void>;
}

/**
 * Why a change was made to a room's document. Fan-out and persistence decide by `source`:
 * `store` changes are already stored; `client` and `api` changes must be committed first.
 */
export type ChangeOrigin =
  | { readonly source: 'store' }
  | { readonly source: 'client'; readonly connectionId: number; readonly author: string }
  | { readonly source: 'api'; readonly author: string };

export const STORE_ORIGIN: ChangeOrigin = Object.freeze({ source: 'store' });

/** The name and colour an author showed in awareness, capped in length. */
export interface AuthorProfile {
  name: string;
  color: string;
}
