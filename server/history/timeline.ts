/**
 * The timeslider's overview of a pad: its revisions in a fixed number of buckets, with how much
 * each author changed in each.
 */
import type { TimelineBucketT } from '../../common/history-schemas.js';
import { revisionPages } from './revision-pages.js';
import type { HistoryStore } from './types.js';

/**
 * Revisions `firstRev` to `lastRev` in at most `bucketCount` buckets of equal revision span
 * (empty ones left out), and the author ids their `changes` are indexed by.
 */
export async function activityBuckets(
  store: HistoryStore,
  padId: string,
  firstRev: number,
  lastRev: number,
  bucketCount: number,
): Promise<{ authorIds: string[]; buckets: TimelineBucketT[] }> {
  const perBucket = Math.max(1, Math.ceil((lastRev - firstRev + 1) / bucketCount));
  const authorIndex = new Map<string, number>();
  const buckets: TimelineBucketT[] = [];
  for await (const rows of revisionPages(store, padId, firstRev - 1)) {
    for (const r of rows) {
      const b = Math.floor((r.rev - firstRev) / perBucket);
      let bucket = buckets[b];
      if (!bucket) bucket = buckets[b] = { firstRev: r.rev, lastRev: r.rev, time: r.endTime, changes: [] };
      bucket.lastRev = r.rev;
      bucket.time = r.endTime;
      for (const id of r.authors) {
        let i = authorIndex.get(id);
        if (i === undefined) authorIndex.set(id, (i = authorIndex.size));
        bucket.changes[i] = (bucket.changes[i] ?? 0) + Math.max(1, r.inserted + r.deleted);
      }
    }
  }
  const filled = buckets.filter(Boolean);
  for (const bucket of filled) for (let i = 0; i < authorIndex.size; i += 1) bucket.changes[i] ??= 0;
  return { authorIds: Array.from(authorIndex.keys()), buckets: filled };
}
