/**
 * Revisions grouped by pauses, for the timeslider: 13 minutes of two people typing make
 * hundreds of revisions (one per author per 2 s window), which nobody reads one by one. A group
 * is a run of revisions with no pause of `pauseMs` or longer between one's end and the next's
 * start; `pauseMs` 0 puts each revision in a group of its own.
 *
 * The zoom levels come from the pad's own pauses: the coarsest splits at its few longest
 * pauses, each finer level at about four times as many, down to single revisions.
 */
import type { Revision } from './types.js';

export interface RevisionGroup {
  firstRev: number;
  lastRev: number;
  /** Unix ms of the first revision's start and the last one's end. */
  startTime: number;
  endTime: number;
  /** Author ids in order of first appearance. */
  authors: string[];
  revisions: number;
  inserted: number;
  deleted: number;
}

type RevisionRow = Pick<Revision, 'rev' | 'startTime' | 'endTime' | 'authors' | 'inserted' | 'deleted'>;

/** Groups `revisions` (in revision order) at every pause of at least `pauseMs`. */
export function groupByPauses(revisions: Iterable<RevisionRow>, pauseMs: number): RevisionGroup[] {
  if (!(pauseMs >= 0)) throw new RangeError(`pauseMs must be 0 or more, not ${pauseMs}`);
  const groups: RevisionGroup[] = [];
  let current: RevisionGroup | null = null;
  for (const r of revisions) {
    if (!current || pauseMs === 0 || r.startTime - current.endTime >= pauseMs) {
      current = {
        firstRev: r.rev,
        lastRev: r.rev,
        startTime: r.startTime,
        endTime: r.endTime,
        authors: [],
        revisions: 0,
        inserted: 0,
        deleted: 0,
      };
      groups.push(current);
    }
    current.lastRev = r.rev;
    current.endTime = Math.max(current.endTime, r.endTime);
    current.revisions += 1;
    current.inserted += r.inserted;
    current.deleted += r.deleted;
    for (const author of r.authors) if (!current.authors.includes(author)) current.authors.push(author);
  }
  return groups;
}

/** Each zoom level splits at about this many times as many pauses as the one before. */
const ZOOM_STEP = 4;
const COARSEST_GROUPS = 4;

/**
 * The pause lengths (ms) of the zoom levels, coarsest first, ending with 0 (single revisions).
 * `pauses` are the gaps between consecutive revisions, in any order.
 */
export function pauseLevels(pauses: readonly number[]): number[] {
  const longest = pauses.filter((gap) => gap > 0).sort((a, b) => b - a);
  const levels: number[] = [];
  let splits = 0;
  for (let groups = COARSEST_GROUPS; longest.length > 0; groups *= ZOOM_STEP) {
    // Splitting at pauses at least as long as the (groups - 1)th longest gives about `groups` groups.
    const index = Math.min(groups - 2, longest.length - 1);
    const level = longest[index];
    const count = longest.filter((gap) => gap >= level).length;
    // A level must split more than the one before, and less than single revisions do.
    if (count > splits && count < pauses.length) {
      levels.push(level);
      splits = count;
    }
    if (index === longest.length - 1) break;
  }
  levels.push(0);
  return levels;
}

/** The gaps between consecutive revisions (the next one's start minus this one's end, never below 0). */
export function pausesBetween(revisions: readonly RevisionRow[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < revisions.length; i += 1) gaps.push(Math.max(0, revisions[i].startTime - revisions[i - 1].endTime));
  return gaps;
}
