/**
 * What the history layer needs from storage, and the records it keeps. `store/sqlite-history.ts`
 * and `store/postgres/pg-history.ts` implement `HistoryStore`. Methods are
 * coarse (one call per batch of rows), so an asynchronous store costs little.
 */

/** One committed update from a pad's log. */
export interface LogUpdate {
  seq: number;
  /** Unix time, ms (server clock at commit). */
  time: number;
  author: string;
  data: Uint8Array;
}

/**
 * A revision: consecutive updates of one author whose times fall within the revision window of
 * the revision's first update. Revision `rev`'s content is the log applied up to `lastSeq`.
 */
export interface Revision {
  rev: number;
  firstSeq: number;
  lastSeq: number;
  /** Unix ms of the first and last update in it. */
  startTime: number;
  endTime: number;
  /** Author ids; one, except for a revision that squashes compacted history. */
  authors: string[];
  /** Updates and their total bytes as committed. */
  updates: number;
  bytes: number;
  /** Characters (and embeds) inserted, and items deleted, as counted from the updates. */
  inserted: number;
  deleted: number;
}

export interface Keyframe {
  seq: number;
  rev: number;
  /** Full Yjs state as of `seq`. */
  data: Uint8Array;
}

export interface HistoryCursor {
  /** Last update seq folded into revisions. */
  indexedSeq: number;
  /** Last revision whose keyframe decision and log merge are done. */
  builtRev: number;
}

export interface SavedRevision {
  id: number;
  rev: number;
  label: string;
  author: string;
  createdAt: number;
}

export interface ForkOrigin {
  padId: string;
  rev: number;
  createdAt: number;
}

export interface HistoryStore {
  cursor(padId: string): Promise<HistoryCursor>;
  /** Updates with `afterSeq < seq <= toSeq`, oldest first, at most `limit`. */
  readUpdates(padId: string, afterSeq: number, toSeq: number, limit: number): Promise<LogUpdate[]>;
  /** Writes new or grown revisions, newly seen client ids (first author wins) and the cursor, atomically. */
  saveIndex(padId: string, revisions: readonly Revision[], clients: ReadonlyMap<number, string>, indexedSeq: number): Promise<void>;
  setBuiltRev(padId: string, builtRev: number): Promise<void>;
  lastRevision(padId: string): Promise<Revision | null>;
  firstRevision(padId: string): Promise<Revision | null>;
  revision(padId: string, rev: number): Promise<Revision | null>;
  /** Revisions with `rev > afterRev`, oldest first. */
  listRevisions(padId: string, afterRev: number, limit: number): Promise<Revision[]>;
  keyframeAtOrBefore(padId: string, seq: number): Promise<Keyframe | null>;
  saveKeyframe(padId: string, keyframe: Keyframe): Promise<void>;
  /** Replaces the log rows `firstSeq..lastSeq` by one row at `lastSeq` holding `merged`. */
  mergeLogRows(padId: string, firstSeq: number, lastSeq: number, merged: Uint8Array): Promise<void>;
  /**
   * Squashes revisions up to `rev` into one: stores `keyframe`, deletes the log rows, keyframes
   * and revision rows before it, moves saved revisions onto it. All or nothing.
   */
  squashBefore(padId: string, squashed: Revision, keyframe: Keyframe): Promise<void>;
  clients(padId: string): Promise<Map<number, string>>;
  /** Bytes of the log and of the keyframes. */
  storedBytes(padId: string): Promise<{ log: number; keyframes: number; logRows: number; keyframeCount: number }>;
  saveRevision(padId: string, rev: number, label: string, author: string): Promise<SavedRevision>;
  savedRevisions(padId: string): Promise<SavedRevision[]>;
  saveFork(padId: string, origin: ForkOrigin): Promise<void>;
  forkOrigin(padId: string): Promise<ForkOrigin | null>;
}
