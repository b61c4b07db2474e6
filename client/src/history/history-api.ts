/** The history routes of `/api/v1/pads/<padId>`, typed for the timeslider. */
import type { BoardShape } from '../../../common/board/board-doc.js';
import type {
  AuthorshipT,
  ForkRequestT,
  ForkResultT,
  RestoreResultT,
  RevisionDiffT,
  RevisionGroupsT,
  RevisionViewT,
  SavedRevisionT,
  SaveRevisionRequestT,
  TimelineT,
} from '../../../common/history-schemas.js';
import { editKeyHeaders } from '../access/edit-key.js';

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
  timeline: (padId: string) => call<TimelineT>(padId, '/timeline?buckets=160'),
  revision: (padId: string, rev: number) => call<RevisionViewT>(padId, `/revisions/${rev}`),
  content: (padId: string, rev: number) => call<Record<string, unknown>>(padId, `/revisions/${rev}/export.json`),
  board: (padId: string, rev: number) => call<{ shapes: BoardShape[] }>(padId, `/revisions/${rev}/board.json`),
  groups: (padId: string, pauseMs?: number) =>
    call<RevisionGroupsT>(padId, `/revision-groups${pauseMs === undefined ? '' : `?pause=${pauseMs}`}`),
  diff: (padId: string, from: number, to: number) => call<RevisionDiffT>(padId, `/diff?from=${from}&to=${to}`),
  authorship: (padId: string) => call<AuthorshipT>(padId, '/authorship'),
  restore: (padId: string, rev: number) => call<RestoreResultT>(padId, `/revisions/${rev}/restore`, { method: 'POST', body: '{}' }),
  fork: (padId: string, rev: number, newPadId: string) =>
    call<ForkResultT>(padId, `/revisions/${rev}/fork`, { method: 'POST', body: JSON.stringify({ newPadId } satisfies ForkRequestT) }),
  save: (padId: string, label: string, rev?: number) =>
    call<SavedRevisionT>(padId, '/saved-revisions', {
      method: 'POST',
      body: JSON.stringify((rev ? { label, rev } : { label }) satisfies SaveRevisionRequestT),
    }),
};
