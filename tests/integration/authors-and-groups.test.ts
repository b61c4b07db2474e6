/**
 * Two history routes of the pad page, through a real server and stock y-websocket clients:
 * `GET .../authors` (each Yjs client id's author, with name and colour: what live authorship
 * colours shade by, also under a read-only id) and `GET .../revision-groups` (revisions grouped
 * by pauses, with zoom levels down to single revisions).
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, synced, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

const authorId = (n: number) => `a.groupsandauth${String(n).padStart(8, '0')}`;

function cookieSocket(author: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: `gp_author=${author}` } });
    }
  } as unknown as typeof WebSocket;
}

/** A person stopping between bursts: revisions are grouped by such pauses, so real time passes. */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('authors and revision groups over HTTP', () => {
  let server: InProcessServer;
  const clients: ProviderClient[] = [];

  beforeAll(async () => {
    server = await startInProcess({ REVISION_WINDOW_MS: '100' });
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.close();
  });

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${server.baseUrl}/api/v1${path}`);
    return { status: res.status, body: (await res.json()) as T };
  };

  async function person(padId: string, author: string, name: string, color: string): Promise<ProviderClient> {
    const client = connectProvider(server.wsUrl, padId, { WebSocketPolyfill: cookieSocket(author) });
    client.provider.awareness.setLocalStateField('user', { name, color });
    clients.push(client);
    await synced(client);
    return client;
  }

  /** Appends a paragraph with `text` to the pad's content, as the editor would. */
  async function paragraph(client: ProviderClient, text: string): Promise<void> {
    const element = new Y.XmlElement('paragraph');
    element.insert(0, [new Y.XmlText(text)]);
    const fragment = client.doc.getXmlFragment('default');
    fragment.insert(fragment.length, [element]);
  }

  const stored = (padId: string, seq: number) =>
    waitUntil(async () => ((await server.app.store.getPad(padId))?.lastSeq ?? 0) >= seq, `pad ${padId} to reach seq ${seq}`, 10_000, 20);

  it("maps each client id to its author (the connection's, with the latest name and colour), also under the read-only id", async () => {
    const padId = 'authors-map';
    const ada = await person(padId, authorId(1), 'Ada', '#e03131');
    const grace = await person(padId, authorId(2), 'Grace', '#1c7ed6');
    await paragraph(ada, 'Ada wrote this');
    await paragraph(grace, 'Grace wrote that');
    await stored(padId, 2);

    const { status, body } = await get<{ clients: Record<string, string>; authors: { id: string; name: string; color: string }[] }>(
      `/pads/${padId}/authors`,
    );
    expect(status).toBe(200);
    const byId = new Map(body.authors.map((a) => [a.id, a]));
    const adaAuthor = byId.get(body.clients[String(ada.doc.clientID)]);
    const graceAuthor = byId.get(body.clients[String(grace.doc.clientID)]);
    expect(adaAuthor).toMatchObject({ name: 'Ada', color: '#e03131' });
    expect(graceAuthor).toMatchObject({ name: 'Grace', color: '#1c7ed6' });
    expect(adaAuthor?.id).not.toBe(graceAuthor?.id);

    const meta = (await get<{ readOnlyId: string }>(`/pads/${padId}`)).body;
    const viaReadOnly = await get(`/pads/${meta.readOnlyId}/authors`);
    expect(viaReadOnly).toEqual({ status: 200, body });
  });

  it('answers an empty map for a pad nobody wrote, 404 for an unknown read-only id, 400 for a bad id', async () => {
    expect(await get('/pads/never-written-here/authors')).toEqual({ status: 200, body: { clients: {}, authors: [] } });
    expect((await get(`/pads/r.${'b'.repeat(26)}/authors`)).status).toBe(404);
    const bad = await get<{ error: { code: string } }>('/pads/bad!id/authors');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_pad_id');
  });

  it('groups revisions at pauses, with zoom levels from the longest pauses down to single revisions', async () => {
    const padId = 'groups-by-pauses';
    const ada = await person(padId, authorId(3), 'Ada', '#e03131');
    // Three bursts of two quick writes; the pause before the third is the longest.
    let seq = 0;
    for (const [i, gap] of [0, 400, 1200].entries()) {
      if (gap) await pause(gap);
      await paragraph(ada, `burst ${i} a`);
      await stored(padId, ++seq);
      await pause(150);
      await paragraph(ada, `burst ${i} b`);
      await stored(padId, ++seq);
    }
    interface Groups {
      pauseMs: number;
      levels: number[];
      groups: { firstRev: number; lastRev: number; revisions: number; authors: { name: string }[] }[];
    }
    const revisions = (await get<{ revisions: unknown[] }>(`/pads/${padId}/revisions`)).body.revisions.length;
    expect(revisions).toBe(6);

    const coarse = (await get<Groups>(`/pads/${padId}/revision-groups`)).body;
    expect(coarse.pauseMs).toBe(coarse.levels[0]);
    expect(coarse.levels[coarse.levels.length - 1]).toBe(0);
    expect(coarse.groups.length).toBeGreaterThan(1);
    expect(coarse.groups.length).toBeLessThan(revisions);
    expect(coarse.groups[coarse.groups.length - 1]).toMatchObject({ lastRev: 6, authors: [{ name: 'Ada' }] });
    // Every level splits at the longest pause (before revision 5), and groups cover 1..6 in order.
    for (const level of coarse.levels) {
      const { groups } = (await get<Groups>(`/pads/${padId}/revision-groups?pause=${level}`)).body;
      expect(
        groups.some((g) => g.firstRev === 5),
        `level ${level}`,
      ).toBe(true);
      expect(groups.flatMap((g) => Array.from({ length: g.lastRev - g.firstRev + 1 }, (_, i) => g.firstRev + i))).toEqual([
        1, 2, 3, 4, 5, 6,
      ]);
      expect(groups.reduce((sum, g) => sum + g.revisions, 0)).toBe(6);
    }

    const single = (await get<Groups>(`/pads/${padId}/revision-groups?pause=0`)).body;
    expect(single.groups.map((g) => [g.firstRev, g.lastRev])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
      [6, 6],
    ]);
    const one = (await get<Groups>(`/pads/${padId}/revision-groups?pause=${3600_000}`)).body;
    expect(one.groups).toHaveLength(1);

    expect((await get(`/pads/${padId}/revision-groups?pause=-5`)).status).toBe(400);
    expect((await get('/pads/nobody-here-either/revision-groups')).status).toBe(404);
  });
});
