/**
 * The `revisions` table's row as both stores read it, and its mapping to a Revision.
 */
import type { Revision } from '../history/types.js';

export interface RevisionRow {
  rev: number;
  first_seq: number;
  last_seq: number;
  start_time: number;
  end_time: number;
  authors: string;
  updates: number;
  bytes: number;
  inserted: number;
  deleted: number;
}

export const REVISION_COLUMNS = 'rev, first_seq, last_seq, start_time, end_time, authors, updates, bytes, inserted, deleted';

/** `authors` may be given when the caller has already parsed them. */
export const toRevision = (row: RevisionRow, authors = JSON.parse(row.authors) as string[]): Revision => ({
  rev: row.rev,
  firstSeq: row.first_seq,
  lastSeq: row.last_seq,
  startTime: row.start_time,
  endTime: row.end_time,
  authors,
  updates: row.updates,
  bytes: row.bytes,
  inserted: row.inserted,
  deleted: row.deleted,
});
