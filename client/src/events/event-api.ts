/** The browser's calls to the events API. Errors carry the server's message. */
import type {
  EventRecapT,
  EventSummaryT,
  EventT,
  OpenItemsT,
  PadPlaceT,
  SearchResultsT,
  TeamPadT,
  TeamT,
} from '../../../common/event-schemas.js';

export const ADMIN_TOKEN_KEY = 'gatherpad:admin-token';

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

async function call<T>(method: string, path: string, body?: unknown, token?: string | null): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const message = (data as { error?: { message?: string } } | null)?.error?.message ?? `The server answered ${res.status}.`;
    throw new ApiCallError(res.status, message);
  }
  return data as T;
}

const seg = encodeURIComponent;

export const eventsApi = {
  list: () => call<{ events: EventSummaryT[] }>('GET', '/api/v1/events'),
  get: (event: string) => call<EventT>('GET', `/api/v1/events/${seg(event)}`),
  search: (event: string, q: string) => call<SearchResultsT>('GET', `/api/v1/search?q=${seg(q)}&event=${seg(event)}`),
  addPad: (event: string, team: string, topic: string, title: string) =>
    call<TeamPadT>('POST', `/api/v1/events/${seg(event)}/teams/${seg(team)}/pads`, { topic, title }),
  setBoard: (event: string, team: string, now: string | null, next: string[], token: string | null) =>
    call<TeamT>('PUT', `/api/v1/events/${seg(event)}/teams/${seg(team)}/board`, { now, next }, token),
  liveUrl: (event: string) => `/api/v1/events/${seg(event)}/live`,
  placeOfPad: (padId: string) => call<PadPlaceT>('GET', `/api/v1/pads/${seg(padId)}/event`),
  recap: (event: string, query: RecapQuery) => call<EventRecapT>('GET', `/api/v1/events/${seg(event)}/recap.json${recapSearch(query)}`),
  /** Where a recap downloads as a file. */
  recapFileUrl: (event: string, format: 'md' | 'txt', query: RecapQuery) =>
    `/api/v1/events/${seg(event)}/recap.${format}${recapSearch({ ...query, download: true })}`,
  openItems: (team: string, before: string) => call<OpenItemsT>('GET', `/api/v1/teams/${seg(team)}/open-items?before=${seg(before)}`),
};

export interface RecapQuery {
  bySession: boolean;
  summaryOnly: boolean;
  download?: boolean;
}

function recapSearch(query: RecapQuery): string {
  const params = new URLSearchParams();
  if (query.bySession) params.set('by', 'session');
  if (query.summaryOnly) params.set('summary', 'only');
  if (query.download) params.set('download', '1');
  const search = params.toString();
  return search ? `?${search}` : '';
}
