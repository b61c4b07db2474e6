import type { HistoryStore, Revision } from './types.js';

/** Revisions read from the store at a time. */
const PAGE = 10_000;

/** The pad's revisions after `afterRev`, in order, a page at a time (a pad's history can be long). */
export async function* revisionPages(store: HistoryStore, padId: string, afterRev: number): AsyncGenerator<Revision[]> {
  for (let after = afterRev; ; ) {
    const rows = await store.listRevisions(padId, after, PAGE);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].rev;
  }
}
