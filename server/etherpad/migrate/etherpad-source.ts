/**
 * The Etherpad instance a migration reads: its pad list (`listAllPads` over the HTTP API) and
 * each pad's full export (`/p/<pad>/export/etherpad`). Every request has a time limit and every
 * failure says what was asked and what came back.
 */
export interface EtherpadSourceOptions {
  /** Base URL of the Etherpad, e.g. https://etherpad.example.org */
  url: string;
  apikey: string;
  /** Per request, ms (default 60 s: large exports take a while). */
  timeoutMs?: number;
}

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

export class EtherpadSource {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: EtherpadSourceOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Every pad name of the instance. */
  async listAllPads(): Promise<string[]> {
    const url = `${this.base}/api/1.2.1/listAllPads?apikey=${encodeURIComponent(this.options.apikey)}`;
    const body = await this.fetchText(url, 'listAllPads');
    let envelope: { code?: unknown; message?: unknown; data?: { padIDs?: unknown } };
    try {
      envelope = JSON.parse(body);
    } catch {
      throw new SourceError(`listAllPads did not answer JSON: ${body.slice(0, 120)}`);
    }
    if (envelope.code !== 0) throw new SourceError(`listAllPads failed: code ${String(envelope.code)}, ${String(envelope.message)}`);
    const ids = envelope.data?.padIDs;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
      throw new SourceError('listAllPads did not answer a list of pad names');
    return ids;
  }

  /** The pad's `.etherpad` export, as text. */
  exportPad(name: string): Promise<string> {
    return this.fetchText(`${this.base}/p/${encodeURIComponent(name)}/export/etherpad`, `the export of "${name}"`);
  }

  private async fetchText(url: string, what: string): Promise<string> {
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'follow' });
    } catch (err) {
      throw new SourceError(
        `${what}: ${(err as Error).name === 'TimeoutError' ? `no answer in ${this.timeoutMs} ms` : (err as Error).message}`,
      );
    }
    const body = await res.text();
    if (!res.ok) throw new SourceError(`${what}: HTTP ${res.status} ${body.slice(0, 120)}`);
    return body;
  }
}
