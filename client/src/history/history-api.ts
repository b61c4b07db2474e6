/** The history routes of `/api/v1/pads/<padId>`, typed for the timeslider. */
import type { BoardShape } from '../../../common/board/board-doc.js';
import { editKeyHeaders } from '../access/edit-key.js';

export interface AuthorView {
  id: string;
  name: string;
  color: string;
}

export interface RevisionView {
  rev: number;
  time: string;
  startTime: string;
  authors: AuthorView[];
  inserted: number;
  deleted: number;
}

export interface SavedRevision {
  id: number;
  rev: number;
  label: string;
}

export interface Timeline {
  firstRev: number;
  lastRev: number;
  authors: AuthorView[];
  buckets: { firstRev: number; lastRev: number; time: number; changes: number[] }[];
  saved: SavedRevision[];
  forkedFrom: { padId: string; rev: number } | null;
}

export interface RevisionGroup {
  firstRev: number;
  lastRev: number;
  startTime: string;
  endTime: string;
  authors: AuthorView[];
  revisions: number;
  inserted: number;
  deleted: number;
}

export interface RevisionGroups {
  /** The pause the groups were split at, ms (0: single revisions). */
  pauseMs: number;
  /** The zoom levels' pauses, coarsest first, ending with 0. */
  levels: number[];
  groups: RevisionGroup[];
}

export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface Authorship {
  spans: { author: string | null; text: string }[];
  authors: AuthorView[];
}

async function call<T>(padId: string, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`/api/v1/pads/${encodeURIComponent(padId)}${path}`, {
    ...init,
    headers: { ...(init?.body ? { 'content-type': 'application/json' } : {}), ...editKeyHeaders(padId) },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
  }
  return (await res.json()) as T;
}

export const historyApi = {
  timeline: (padId: string) => call<Timeline>(padId, '/timeline?buckets=160'),
  revision: (padId: string, rev: number) => call<RevisionView>(padId, `/revisions/${rev}`),
  content: (padId: string, rev: number) => call<Record<string, unknown>>(padId, `/revisions/${rev}/export.json`),
  board: (padId: string, rev: number) => call<{ shapes: BoardShape[] }>(padId, `/revisions/${rev}/board.json`),
  groups: (padId: string, pauseMs?: number) =>
    call<RevisionGroups>(padId, `/revision-groups${pauseMs === undefined ? '' : `?pause=${pauseMs}`}`),
  diff: (padId: string, from: number, to: number) => call<{ changes: DiffPart[] }>(padId, `/diff?from=${from}&to=${to}`),
  authorship: (padId: string) => call<Authorship>(padId, '/authorship'),
  restore: (padId: string, rev: number) => call<{ rev: number }>(padId, `/revisions/${rev}/restore`, { method: 'POST', body: '{}' }),
  fork: (padId: string, rev: number, newPadId: string) =>
    call<{ padId: string }>(padId, `/revisions/${rev}/fork`, { method: 'POST', body: JSON.stringify({ newPadId }) }),
  save: (padId: string, label: string, rev?: number) =>
    call<SavedRevision>(padId, '/saved-revisions', { method: 'POST', body: JSON.stringify(rev ? { label, rev } : { label }) }),
};
