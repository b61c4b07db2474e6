/**
 * The Gatherpad server a migration writes to, through its HTTP API with the admin token: the
 * import route, and for `--event`, the event's teams and pad titles.
 */
export interface ImportResult {
  padId: string;
  revisions: number;
  authors: number;
  chatMessages: number;
  savedRevisions: number;
  droppedAttributes: Record<string, number>;
}

export class TargetError extends Error {
  constructor(
    message: string,
    /** HTTP status and error code, when the server answered. */
    readonly status: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'TargetError';
  }
}

export class GatherpadTarget {
  private readonly base: string;

  constructor(
    url: string,
    private readonly adminToken: string,
    private readonly timeoutMs = 300_000,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  /** Imports an export into `padId` (an empty pad); `alias` is the pad's old name when it changed. */
  async importPad(padId: string, file: string, alias: string | null): Promise<ImportResult> {
    const query = alias ? `?alias=${encodeURIComponent(alias)}` : '';
    return (await this.request('POST', `/api/v1/pads/${encodeURIComponent(padId)}/import/etherpad${query}`, file)) as ImportResult;
  }

  /** The event's team slugs, or a TargetError (404) if there is no such event. */
  async teamsOf(event: string): Promise<string[]> {
    const body = (await this.request('GET', `/api/v1/events/${encodeURIComponent(event)}`)) as { teams: { slug: string }[] };
    return body.teams.map((t) => t.slug);
  }

  /** Titles a team's pad (its old Etherpad name), which lists it on the event page. */
  async titlePad(event: string, team: string, padId: string, title: string): Promise<void> {
    await this.request(
      'PATCH',
      `/api/v1/events/${encodeURIComponent(event)}/teams/${encodeURIComponent(team)}/pads/${encodeURIComponent(padId)}`,
      JSON.stringify({ title: title.slice(0, 200) }),
    );
  }

  private async request(method: string, path: string, body?: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new TargetError(`${method} ${path}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let json: { error?: { message?: string; code?: string } } | null = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // A non-JSON answer is reported as text below.
    }
    if (!res.ok)
      throw new TargetError(json?.error?.message ?? `HTTP ${res.status} ${text.slice(0, 120)}`, res.status, json?.error?.code ?? null);
    return json;
  }
}
