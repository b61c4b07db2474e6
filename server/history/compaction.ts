/**
 * Admin compaction of a pad's history: the revisions that ended before a time are squashed into
 * one keyframe and their log rows deleted. Later revisions keep their numbers and content.
 */
import * as Y from 'yjs';
import type { HistoryIndexer } from './history-indexer.js';
import { revisionPages } from './revision-pages.js';
import type { HistoryStore, Revision } from './types.js';

/**
 * Squashes every revision that ended before `before` (Unix ms; never the last revision) into
 * one. Run it under the indexer's lock for the pad (`HistoryIndexer.exclusive`).
 */
export async function squashRevisionsBefore(
  store: HistoryStore,
  indexer: HistoryIndexer,
  padId: string,
  before: number,
): Promise<{ squashedInto: number | null; removedRevisions: number }> {
  const first = await store.firstRevision(padId);
  const last = await store.lastRevision(padId);
  if (!first || !last) return { squashedInto: null, removedRevisions: 0 };
  const older: Revision[] = [];
  for await (const rows of revisionPages(store, padId, first.rev - 1)) {
    const take = rows.filter((r) => r.endTime < before && r.rev < last.rev);
    older.push(...take);
    if (take.length < rows.length) break;
  }
  if (older.length < 2) return { squashedInto: null, removedRevisions: 0 };
  const end = older[older.length - 1];
  const doc = new Y.Doc();
  try {
    await indexer.loadInto(doc, padId, end.lastSeq);
    const squashed: Revision = {
      rev: end.rev,
      firstSeq: first.firstSeq,
      lastSeq: end.lastSeq,
      startTime: first.startTime,
      endTime: end.endTime,
      authors: Array.from(new Set(older.flatMap((r) => r.authors))),
      updates: older.reduce((n, r) => n + r.updates, 0),
      bytes: older.reduce((n, r) => n + r.bytes, 0),
      inserted: older.reduce((n, r) => n + r.inserted, 0),
      deleted: older.reduce((n, r) => n + r.deleted, 0),
    };
    await store.squashBefore(padId, squashed, { seq: end.lastSeq, rev: end.rev, data: Y.encodeStateAsUpdate(doc) });
    const cursor = await store.cursor(padId);
    if (cursor.builtRev < end.rev) await store.setBuiltRev(padId, end.rev);
  } finally {
    doc.destroy();
  }
  return { squashedInto: end.rev, removedRevisions: older.length - 1 };
}
