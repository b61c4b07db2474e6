/**
 * Search through a real server: FTS5 ranking, snippets with highlight offsets, the event
 * filter, query syntax treated as words, and freshness: a word typed through a live
 * y-websocket client is found a few seconds later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, synced, waitUntil } from '../helpers/clients.js';
import { ADMIN_TOKEN, admin, api, appendParagraphs, writePad } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

describe('search API', () => {
  let server: InProcessServer;
  let base: string;
  const search = (query: string) => api(base, 'GET', `/api/v1/search?${query}`);

  /** Polls the search API until `check` holds for its results (the indexer runs ~1 s after a commit). */
  async function searchUntil(query: string, check: (results: any[]) => boolean, what: string): Promise<any[]> {
    let results: any[] = [];
    const searched = async () => {
      const res = await search(query);
      expect(res.status).toBe(200);
      results = res.body.results;
      return check(results);
    };
    await waitUntil(searched, () => `${what}: ${JSON.stringify(results)}`, 10_000, 100);
    return results;
  }

  beforeAll(async () => {
    server = await startInProcess({ ADMIN_TOKEN, UNLOAD_DELAY_MS: '200' });
    base = server.baseUrl;
    await admin(base, 'PUT', '/api/v1/events/srch', { name: 'Search PTG', teams: [{ slug: 'nova' }, { slug: 'cinder' }] });
    await admin(base, 'PUT', '/api/v1/events/srch-x', { name: 'Other', teams: [{ slug: 'nova' }] });
    await writePad(server, 'srch-nova', [
      'Nova notes',
      'We discussed the placement service and placement aggregates.',
      'Placement placement placement.',
    ]);
    await writePad(server, 'srch-cinder', [
      'Cinder notes',
      'Backup drivers; one mention of placement.',
      'rock and roll (with "quotes") * stars',
    ]);
    await writePad(server, 'srch-x-nova', ['Other event: placement too']);
    await writePad(server, 'loose-pad', ['A pad in no event mentions placement as well']);
    await searchUntil('q=placement', (r) => r.length === 4, 'four pads indexed');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ranks matches, returns plain snippets with highlight offsets and links', async () => {
    const { body } = await search('q=placement');
    expect(body.query).toBe('placement');
    expect(body.results[0].padId).toBe('srch-nova');
    for (const hit of body.results) {
      expect(hit.url).toBe(`/p/${hit.padId}`);
      expect(hit.highlights.length).toBeGreaterThan(0);
      for (const [start, end] of hit.highlights) expect(hit.snippet.slice(start, end).toLowerCase()).toBe('placement');
      expect(hit.snippet).not.toMatch(/[\uE000\uE001<>]/);
    }
  });

  it('filters by event, with the team of each pad', async () => {
    const { body } = await search('q=placement&event=srch');
    expect(body.results.map((r: any) => r.padId).sort()).toEqual(['srch-cinder', 'srch-nova']);
    expect(body.results.find((r: any) => r.padId === 'srch-nova')).toMatchObject({
      event: 'srch',
      team: 'nova',
      updatedAt: expect.any(String),
    });
    const other = await search('q=placement&event=srch-x');
    expect(other.body.results.map((r: any) => r.padId)).toEqual(['srch-x-nova']);
    expect((await search('q=placement&event=nope')).status).toBe(404);
    expect((await search('q=placement&event=bad%20slug')).status).toBe(400);
  });

  it('treats query syntax as words and never fails on it', async () => {
    const hostile = [
      '"',
      '*',
      'AND',
      'OR',
      'NOT',
      '(',
      ')',
      '"unbalanced',
      'nova AND',
      'NEAR(a b)',
      'col:umn',
      '-x',
      '^start',
      'a OR b',
      '{}',
      "'",
      '\\',
      '%',
      'placement"*)(',
      '',
    ];
    for (const q of hostile) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(Array.isArray(res.body.results)).toBe(true);
    }
    const and = await search(`q=${encodeURIComponent('rock AND roll')}`);
    expect(and.body.results.map((r: any) => r.padId)).toEqual(['srch-cinder']);
    const quoted = await search(`q=${encodeURIComponent('"quotes" (with')}`);
    expect(quoted.body.results.map((r: any) => r.padId)).toEqual(['srch-cinder']);
    expect((await search(`q=${'x'.repeat(600)}`)).status).toBe(400);
    expect((await api(base, 'GET', '/api/v1/search')).status).toBe(400);
    expect((await search('q=placement&limit=0')).status).toBe(400);
    expect((await search('q=placement&limit=1')).body.results).toHaveLength(1);
  });

  it('matches the last word as a prefix, all words otherwise', async () => {
    expect((await search('q=aggreg')).body.results.map((r: any) => r.padId)).toEqual(['srch-nova']);
    expect((await search('q=backup%20placem')).body.results.map((r: any) => r.padId)).toEqual(['srch-cinder']);
    expect((await search('q=aggreg%20')).body.results).toEqual([]);
  });

  it('finds a word typed through a live client within seconds', async () => {
    const client = connectProvider(server.wsUrl, 'srch-cinder');
    try {
      await synced(client);
      appendParagraphs(client.doc, ['Decided: the zanzibar driver ships next cycle.']);
      const started = Date.now();
      const results = await searchUntil('q=zanzibar&event=srch', (r) => r.length === 1, 'the typed word');
      expect(results[0]).toMatchObject({ padId: 'srch-cinder', team: 'cinder' });
      expect(results[0].snippet).toContain('zanzibar');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      client.destroy();
    }
  });

  it('drops a deleted pad from the results', async () => {
    await writePad(server, 'srch-nova-gone', ['ephemeral quokka notes']);
    await searchUntil('q=quokka', (r) => r.length === 1, 'quokka indexed');
    await waitUntil(() => server.app.rooms.peek('srch-nova-gone') === undefined, 'pad unloaded');
    expect((await admin(base, 'DELETE', '/api/v1/events/srch/teams/nova/pads/srch-nova-gone')).status).toBe(204);
    expect((await search('q=quokka')).body.results).toEqual([]);
  });
});
