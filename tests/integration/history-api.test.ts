/**
 * History through a real server, real sockets and stock y-websocket clients: revisions from a
 * live replay, authorship of two concurrent authors, authorship that ignores awareness claims,
 * restore, fork, diff, exports, saved revisions and admin compaction over HTTP.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import {
  Authorship,
  ClientAuthors,
  CompactResult,
  ForkResult,
  RestoreResult,
  RevisionDiff,
  RevisionGroups,
  RevisionList,
  RevisionView,
  SavedRevision,
  SavedRevisionList,
  Timeline,
  type RevisionViewT,
} from '../../common/history-schemas.js';
import { MessageType, SyncMessageType } from '../../common/protocol.js';
import { connectProvider, synced, syncFrame, updateFrameOf, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';
import { applyPatches, loadTrace, padText, type ConcurrentTrace } from '../helpers/traces.js';

const WINDOW_MS = 300;
/** A pause in the recorded times (>= 1 s) is replayed as this much real time; same-second edits as a burst. */
const PAUSE_MS = 600;
const ADMIN_TOKEN = 'history-test-admin-token';

const authorId = (n: number) => `a.historytest${String(n).padStart(11, '0')}`;

/** A `ws` WebSocket that sends the author cookie, as a browser with that cookie would. */
function cookieSocket(author: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: `gp_author=${author}` } });
    }
  } as unknown as typeof WebSocket;
}

/** A raw socket with the author cookie, open. */
async function openAuthorSocket(url: string, author: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers: { cookie: `gp_author=${author}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** The plain-text export's form of a text (trailing whitespace cut, one final newline). */
const asTxt = (s: string): string => {
  const out = s.replace(/\s+$/, '');
  return out === '' ? '' : `${out}\n`;
};

describe('history over HTTP with real clients', () => {
  let server: InProcessServer;
  const clients: ProviderClient[] = [];

  beforeAll(async () => {
    server = await startInProcess({
      REVISION_WINDOW_MS: String(WINDOW_MS),
      ADMIN_TOKEN,
      MAX_UPDATES_PER_SECOND: '1000000',
      MAX_BYTES_PER_SECOND: '1000000000',
    });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.close();
  });

  /** What the API shows for `authorId(n)`: its public id (the author id is the cookie's secret). */
  async function shownId(n: number): Promise<string> {
    return (await server.app.store.publicAuthorIds([authorId(n)])).get(authorId(n)) as string;
  }

  function connect(padId: string, author: string, name: string): ProviderClient {
    const client = connectProvider(server.wsUrl, padId, { WebSocketPolyfill: cookieSocket(author) });
    client.provider.awareness.setLocalStateField('user', { name, color: '#e03131' });
    clients.push(client);
    return client;
  }

  const api = (path: string, init?: RequestInit) => fetch(`${server.baseUrl}/api/v1${path}`, init);
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await api(path, init);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const text = async (path: string): Promise<string> => {
    const res = await api(path);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.text();
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    api(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const lastSeq = async (padId: string) => (await server.app.store.getPad(padId))?.lastSeq ?? 0;

  const SLICE = 100;
  const PAD = 'history-seph-slice';
  /** Trace text after each txn of the slice. */
  const sliceTexts: string[] = [];
  let expectedRevisions = 0;

  it('replays a seph-blog1 slice live: one revision per recorded burst, by the client author, each with the trace text', async () => {
    const trace = loadTrace('seph-blog1');
    const txns = trace.txns.slice(0, SLICE);
    const times = txns.map((t) => Date.parse(t.time ?? ''));
    const writer = connect(PAD, authorId(1), 'Seph');
    await synced(writer);
    const started = Date.now();
    for (let i = 0; i < txns.length; i += 1) {
      if (i > 0 && times[i] - times[i - 1] >= 1000) {
        expectedRevisions += 1;
        await waitUntil(() => writer.provider.wsconnected, 'connected');
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
      applyPatches(writer.doc, txns[i].patches);
      sliceTexts.push(padText(writer.doc).toString());
    }
    expectedRevisions += 1;
    await waitUntil(async () => (await lastSeq(PAD)) >= SLICE, `${SLICE} updates stored`, 20_000, 50);
    expect(await lastSeq(PAD)).toBe(SLICE);

    const { revisions, next } = await json<{ revisions: RevisionViewT[]; next: number | null }>(`/pads/${PAD}/revisions`);
    expect(next).toBeNull();
    expect(revisions.length).toBe(expectedRevisions);
    expect(revisions.map((r) => r.rev)).toEqual(revisions.map((_, i) => i + 1));
    let previous = started - 1000;
    const seph = await shownId(1);
    expect(seph).not.toBe(authorId(1));
    for (const r of revisions) {
      expect(r.authors).toEqual([{ id: seph, name: 'Seph', color: '#e03131' }]);
      const time = Date.parse(r.time);
      expect(time).toBeGreaterThanOrEqual(previous);
      expect(time).toBeLessThanOrEqual(Date.now());
      previous = time;
    }
    // Each revision's content is the trace text after its last update (seq = txn index + 1).
    const rows = server.app
      .db!.prepare<[string], { rev: number; last_seq: number }>('SELECT rev, last_seq FROM history_revisions WHERE pad_id = ? ORDER BY rev')
      .all(PAD);
    for (const row of rows) expect(await text(`/pads/${PAD}/revisions/${row.rev}/export.txt`)).toBe(asTxt(sliceTexts[row.last_seq - 1]));

    const paged = await json<{ revisions: RevisionViewT[]; next: number | null }>(`/pads/${PAD}/revisions?limit=2`);
    expect(paged.revisions.map((r) => r.rev)).toEqual([1, 2]);
    expect(paged.next).toBe(2);
    const html = await api(`/pads/${PAD}/revisions/1/export.html`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<!doctype html>');
    const md = await text(`/pads/${PAD}/revisions/1/export.md`);
    expect(md.length).toBeGreaterThan(0);
    const pm = await json<{ type: string; content: { type: string }[] }>(`/pads/${PAD}/revisions/1/export.json`);
    expect(pm.type).toBe('doc');
    expect(pm.content[0].type).toBe('paragraph');
  }, 60_000);

  it('diffs two revisions: equal+delete parts give the older text, equal+insert parts the newer', async () => {
    const diff = await json<{ from: number; to: number; changes: { op: string; text: string }[]; blocks: { op: string; text: string }[] }>(
      `/pads/${PAD}/diff?from=2&to=5`,
    );
    const rows = server.app
      .db!.prepare<[string], { rev: number; last_seq: number }>('SELECT rev, last_seq FROM history_revisions WHERE pad_id = ? ORDER BY rev')
      .all(PAD);
    const before = sliceTexts[rows[1].last_seq - 1];
    const after = sliceTexts[rows[4].last_seq - 1];
    expect(
      diff.changes
        .filter((p) => p.op !== 'insert')
        .map((p) => p.text)
        .join(''),
    ).toBe(before);
    expect(
      diff.changes
        .filter((p) => p.op !== 'delete')
        .map((p) => p.text)
        .join(''),
    ).toBe(after);
    expect(diff.changes.some((p) => p.op === 'insert')).toBe(true);
    const defaults = await json<{ from: number; to: number }>(`/pads/${PAD}/diff`);
    expect([defaults.from, defaults.to]).toEqual([expectedRevisions - 1, expectedRevisions]);
    expect((await api(`/pads/${PAD}/diff?from=9999`)).status).toBe(404);
  });

  it('restores revision 2 as one new revision, keeps every earlier revision, shows it live, and restoring again undoes it', async () => {
    const before = await json<{ revisions: RevisionViewT[] }>(`/pads/${PAD}/revisions`);
    const exportsBefore = await Promise.all(before.revisions.map((r) => text(`/pads/${PAD}/revisions/${r.rev}/export.txt`)));
    const watcher = connect(PAD, authorId(9), 'Watcher');
    await synced(watcher);

    const res = await post(`/pads/${PAD}/revisions/2/restore`, {});
    expect(res.status).toBe(200);
    const restored = (await res.json()) as { restored: number; rev: number };
    expect(restored.rev).toBe(before.revisions.length + 1);
    expect(await text(`/pads/${PAD}/revisions/${restored.rev}/export.txt`)).toBe(exportsBefore[1]);
    await waitUntil(() => asTxt(padText(watcher.doc).toString()) === exportsBefore[1], 'the restored text to reach a live client');
    const after = await json<{ revisions: RevisionViewT[] }>(`/pads/${PAD}/revisions`);
    expect(after.revisions.length).toBe(before.revisions.length + 1);
    for (const r of before.revisions) expect(await text(`/pads/${PAD}/revisions/${r.rev}/export.txt`)).toBe(exportsBefore[r.rev - 1]);

    const undo = (await (await post(`/pads/${PAD}/revisions/${before.revisions.length}/restore`, {})).json()) as { rev: number };
    expect(await text(`/pads/${PAD}/revisions/${undo.rev}/export.txt`)).toBe(exportsBefore[exportsBefore.length - 1]);
    await waitUntil(
      () => asTxt(padText(watcher.doc).toString()) === exportsBefore[exportsBefore.length - 1],
      'the undo to reach a live client',
    );
  }, 30_000);

  it('forks revision 3 into a new pad linked back, refuses a fork onto a pad with content, and leaves the source alone', async () => {
    const source = await text(`/pads/${PAD}/revisions/3/export.txt`);
    const count = (await json<{ revisions: RevisionViewT[] }>(`/pads/${PAD}/revisions`)).revisions.length;
    const res = await post(`/pads/${PAD}/revisions/3/fork`, { newPadId: 'History-Fork' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ padId: 'history-fork', forkedFrom: { padId: PAD, rev: 3 } });
    const forked = await json<{ revisions: RevisionViewT[] }>('/pads/history-fork/revisions');
    expect(forked.revisions.length).toBe(1);
    expect(await text('/pads/history-fork/revisions/1/export.txt')).toBe(source);
    const timeline = await json<{ forkedFrom: { padId: string; rev: number } }>('/pads/history-fork/timeline');
    expect(timeline.forkedFrom).toMatchObject({ padId: PAD, rev: 3 });
    const again = await post(`/pads/${PAD}/revisions/3/fork`, { newPadId: 'history-fork' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('conflict');
    expect((await post(`/pads/${PAD}/revisions/3/fork`, { newPadId: 'bad id!' })).status).toBe(400);
    expect((await json<{ revisions: RevisionViewT[] }>(`/pads/${PAD}/revisions`)).revisions.length).toBe(count);
  });

  it('saves labelled revisions and lists them', async () => {
    const res = await post(`/pads/${PAD}/saved-revisions`, { label: 'Before the restore', rev: 4 });
    expect(res.status).toBe(201);
    const latest = await post(`/pads/${PAD}/saved-revisions`, { label: 'Latest' });
    expect(latest.status).toBe(201);
    const { saved } = await json<{ saved: { rev: number; label: string }[] }>(`/pads/${PAD}/saved-revisions`);
    expect(saved.map((s) => s.label)).toEqual(['Before the restore', 'Latest']);
    expect(saved[0].rev).toBe(4);
    expect((await post(`/pads/${PAD}/saved-revisions`, { label: '' })).status).toBe(400);
    expect((await post(`/pads/${PAD}/saved-revisions`, { label: 'x', rev: 99999 })).status).toBe(404);
  });

  it('answers every history route in exactly the shape of its schema in common/history-schemas.ts', async () => {
    // What the timeslider and the pad page read is typed from these schemas: a field the server
    // adds, drops or retypes fails here. Diff and authorship bodies are serialized in the history
    // worker, past Fastify's response schema, so only this check holds them to it.
    const problems = (schema: TSchema, body: unknown): string[] =>
      Value.Errors(schema, body).map((e) => `${e.instancePath || '/'} ${e.message}`);
    const reads: [TSchema, string][] = [
      [RevisionList, `/pads/${PAD}/revisions?limit=3`],
      [RevisionView, `/pads/${PAD}/revisions/2`],
      [Timeline, `/pads/${PAD}/timeline?buckets=7`],
      [Timeline, '/pads/history-fork/timeline'],
      [RevisionGroups, `/pads/${PAD}/revision-groups`],
      [RevisionGroups, `/pads/${PAD}/revision-groups?pause=0`],
      [RevisionDiff, `/pads/${PAD}/diff?from=2&to=5`],
      [RevisionDiff, `/pads/${PAD}/diff?from=5&to=live`],
      [Authorship, `/pads/${PAD}/authorship`],
      [ClientAuthors, `/pads/${PAD}/authors`],
      [SavedRevisionList, `/pads/${PAD}/saved-revisions`],
    ];
    for (const [schema, path] of reads) {
      const body = await json<Record<string, unknown>>(path);
      expect(Object.keys(body).length, path).toBeGreaterThan(0);
      expect(problems(schema, body), path).toEqual([]);
    }
    const forked = await post(`/pads/${PAD}/revisions/2/fork`, { newPadId: 'history-shape-fork' });
    expect(forked.status).toBe(201);
    expect(problems(ForkResult, await forked.json())).toEqual([]);
    const saved = await post('/pads/history-shape-fork/saved-revisions', { label: 'Shape check' });
    expect(saved.status).toBe(201);
    expect(problems(SavedRevision, await saved.json())).toEqual([]);
    const restored = await post('/pads/history-shape-fork/revisions/1/restore', {});
    expect(restored.status).toBe(200);
    expect(problems(RestoreResult, await restored.json())).toEqual([]);
    const compacted = await post(
      '/pads/history-shape-fork/compact',
      { before: new Date().toISOString() },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    expect(compacted.status).toBe(200);
    expect(problems(CompactResult, await compacted.json())).toEqual([]);
  });

  it('attributes each part of the friendsforever text to the author whose connection typed it', async () => {
    const trace = loadTrace<ConcurrentTrace>('friendsforever');
    const padId = 'history-friends';
    const agents = [0, 1];
    const sims = agents.map((a) => {
      const doc = new Y.Doc();
      doc.clientID = 7000 + a;
      return doc;
    });
    // Replays each txn on its author's copy holding exactly the txns its parents saw.
    const updates: Uint8Array[] = [];
    const seen: number[][] = [];
    const byAgent: number[][] = agents.map(() => []);
    const applied = agents.map(() => agents.map(() => 0));
    for (let t = 0; t < trace.txns.length; t += 1) {
      const { agent, parents, patches } = trace.txns[t];
      const vector = agents.map(() => 0);
      for (const p of parents) for (const b of agents) vector[b] = Math.max(vector[b], seen[p][b]);
      for (const b of agents) {
        if (b === agent) continue;
        while (applied[agent][b] < vector[b]) Y.applyUpdate(sims[agent], updates[byAgent[b][applied[agent][b]++]], 'remote');
      }
      let captured: Uint8Array | null = null;
      const listen = (update: Uint8Array, origin: unknown) => {
        if (origin !== 'remote') captured = update;
      };
      sims[agent].on('update', listen);
      applyPatches(sims[agent], patches);
      sims[agent].off('update', listen);
      updates[t] = captured!;
      byAgent[agent].push(t);
      applied[agent][agent] += 1;
      vector[agent] = byAgent[agent].length;
      seen[t] = vector;
    }
    const expectedDoc = new Y.Doc();
    for (const update of updates) Y.applyUpdate(expectedDoc, update);
    expect(padText(expectedDoc).toString()).toBe(trace.endContent);

    // Raw sockets send each txn's own update as-is; before an author's turn, the server has
    // committed everything sent before (as it would have, for the author to see it).
    const sockets = await Promise.all(agents.map((a) => openAuthorSocket(`${server.wsUrl}/${padId}`, authorId(100 + a))));
    for (const [a, socket] of sockets.entries()) {
      socket.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
      const watcher = connect(padId, authorId(100 + a), `Friend ${a}`);
      await synced(watcher);
    }
    const room = () => server.app.rooms.peek(padId);
    for (let t = 0; t < trace.txns.length; t += 1) {
      if (t > 0 && trace.txns[t].agent !== trace.txns[t - 1].agent) {
        await waitUntil(() => (room()?.progress.lastSeq ?? 0) >= t, `the ${t} txns before this author's turn committed`, 10_000, 1);
      }
      sockets[trace.txns[t].agent].send(updateFrameOf(updates[t]));
    }
    await waitUntil(async () => (await lastSeq(padId)) >= trace.txns.length, `all ${trace.txns.length} txns stored`, 60_000, 100);
    for (const socket of sockets) socket.close();
    expect(await lastSeq(padId)).toBe(trace.txns.length);

    const expected: { author: string; text: string }[] = [];
    const shown = await Promise.all(agents.map((a) => shownId(100 + a)));
    for (let item = padText(expectedDoc)._start; item; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
      const author = shown[item.id.client - 7000];
      const last = expected[expected.length - 1];
      if (last?.author === author) last.text += item.content.str;
      else expected.push({ author, text: item.content.str });
    }
    expect(expected.length).toBeGreaterThan(10);
    const authorship = await json<{ spans: { author: string | null; text: string }[]; authors: { id: string; name: string }[] }>(
      `/pads/${padId}/authorship`,
    );
    expect(authorship.spans).toEqual(expected);
    expect(authorship.authors.map((a) => a.name).sort()).toEqual(['Friend 0', 'Friend 1']);
  }, 120_000);

  it('attributes text to the connection author even when its awareness claims another user name', async () => {
    const padId = 'history-impostor';
    const ada = connect(padId, authorId(201), 'Ada');
    await synced(ada);
    applyPatches(ada.doc, [[0, 0, 'Ada wrote this. ']]);
    await waitUntil(async () => (await lastSeq(padId)) >= 1, "Ada's text stored", 10_000, 20);
    // The impostor speaks raw protocol (a stock provider re-broadcasts others' awareness too):
    // its awareness says "Ada", then it writes.
    const impostorDoc = new Y.Doc();
    Y.applyUpdate(impostorDoc, Y.encodeStateAsUpdate(ada.doc));
    const impostor = await openAuthorSocket(`${server.wsUrl}/${padId}`, authorId(202));
    impostor.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(impostorDoc)));
    const awareness = new Awareness(impostorDoc);
    awareness.setLocalState({ user: { name: 'Ada', color: '#e03131' } });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [impostorDoc.clientID]));
    impostor.send(encoding.toUint8Array(encoder));
    let update: Uint8Array | null = null;
    impostorDoc.on('update', (u: Uint8Array) => (update = u));
    applyPatches(impostorDoc, [[16, 0, 'Mallory wrote this.']]);
    impostor.send(updateFrameOf(update!));
    await waitUntil(async () => (await lastSeq(padId)) >= 2, "the impostor's text stored", 10_000, 20);
    const names = await server.app.store.getAuthors([authorId(202)]);
    expect(names.get(authorId(202))?.name).toBe('Ada');
    impostor.close();
    awareness.destroy();
    const authorship = await json<{ spans: { author: string | null; text: string }[] }>(`/pads/${padId}/authorship`);
    const [adaShown, malloryShown] = [await shownId(201), await shownId(202)];
    expect(authorship.spans).toEqual([
      { author: adaShown, text: 'Ada wrote this. ' },
      { author: malloryShown, text: 'Mallory wrote this.' },
    ]);
    const { revisions } = await json<{ revisions: RevisionViewT[] }>(`/pads/${padId}/revisions`);
    expect(revisions.map((r) => r.authors.map((a) => a.id))).toEqual([[adaShown], [malloryShown]]);
  });

  it('compacts history before a date only with the admin token, keeping later revisions rebuildable', async () => {
    const { revisions } = await json<{ revisions: RevisionViewT[] }>(`/pads/${PAD}/revisions`);
    const cut = revisions[Math.floor(revisions.length / 2)];
    const later = revisions.filter((r) => r.rev > cut.rev);
    const exportsLater = await Promise.all(later.map((r) => text(`/pads/${PAD}/revisions/${r.rev}/export.txt`)));
    const cutText = await text(`/pads/${PAD}/revisions/${cut.rev}/export.txt`);
    const before = new Date(Date.parse(cut.time) + 1).toISOString();
    expect((await post(`/pads/${PAD}/compact`, { before })).status).toBe(401);
    expect((await post(`/pads/${PAD}/compact`, { before }, { authorization: 'Bearer wrong' })).status).toBe(403);
    const res = await post(`/pads/${PAD}/compact`, { before }, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ squashedInto: cut.rev, removedRevisions: cut.rev - 1 });
    const after = await json<{ revisions: RevisionViewT[] }>(`/pads/${PAD}/revisions`);
    expect(after.revisions.map((r) => r.rev)).toEqual([cut.rev, ...later.map((r) => r.rev)]);
    expect(await text(`/pads/${PAD}/revisions/${cut.rev}/export.txt`)).toBe(cutText);
    for (let i = 0; i < later.length; i += 1) expect(await text(`/pads/${PAD}/revisions/${later[i].rev}/export.txt`)).toBe(exportsLater[i]);
    expect((await api(`/pads/${PAD}/revisions/1/export.txt`)).status).toBe(404);
    // A fresh client still loads the whole pad after the log prefix is gone.
    for (const client of clients.splice(0)) client.destroy();
    const reader = connect(PAD, authorId(300), 'Reader');
    await synced(reader);
    expect(asTxt(padText(reader.doc).toString())).toBe(exportsLater[exportsLater.length - 1]);
  }, 30_000);
});
