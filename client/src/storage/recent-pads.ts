/**
 * The pads this browser visited, newest first, in localStorage under `gatherpad:recent`.
 * The pad page records a visit; the home page lists them.
 */
import { normalizePadId } from '../../../common/pad-id.js';

export const RECENT_PADS_KEY = 'gatherpad:recent';
/** Older entries fall off the end. */
export const RECENT_PADS_LIMIT = 20;

export interface RecentPad {
  id: string;
  /** Milliseconds since the epoch. */
  visitedAt: number;
}

/** The stored list, skipping entries that are malformed or no longer valid pad ids. */
export function loadRecentPads(storage: Storage = localStorage): RecentPad[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(RECENT_PADS_KEY) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const pads: RecentPad[] = [];
  for (const entry of parsed) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, visitedAt } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || typeof visitedAt !== 'number' || !Number.isFinite(visitedAt)) continue;
    if (normalizePadId(id) !== id) continue;
    pads.push({ id, visitedAt });
  }
  return pads;
}

/** Moves `padId` to the front of the list with the current time. */
export function recordPadVisit(padId: string, storage: Storage = localStorage, now = Date.now()): void {
  const others = loadRecentPads(storage).filter((pad) => pad.id !== padId);
  const pads = [{ id: padId, visitedAt: now }, ...others].slice(0, RECENT_PADS_LIMIT);
  try {
    storage.setItem(RECENT_PADS_KEY, JSON.stringify(pads));
  } catch {
    // Storage full or disabled (private mode): the list is a convenience, the pad still works.
  }
}

export function padPath(padId: string): string {
  return `/p/${encodeURIComponent(padId)}`;
}
