/**
 * Several server processes on one PostgreSQL and one Redis: three Gatherpad child processes,
 * stock y-websocket providers spread across them. Concurrent edits converge to the same Yjs
 * state; awareness crosses processes; kill -9 of a process loses nothing acknowledged; a Redis
 * restart and a PostgreSQL stop/start are survived; history, exports and search agree on every
 * process. PostgreSQL and Redis are dedicated throwaway servers, so the test can stop them.
 */
import * as decoding from 'lib0/decoding';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType, readSaved } from '../../common/protocol.js';
import { connectProvider, openRaw, synced, updateFrameOf, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { ADMIN_TOKEN, admin, api, appendParagraphs } from '../helpers/events.js';
import { startServer, type ChildServer } from '../helpers/server.js';
import { canRunServices, startPostgres, startRedis, type ServiceInstance } from '../helpers/services.js';
import { notesText, readNotesText } from '../helpers/notes-text.js';

const available = canRunServices();

/**
 * A `ws` WebSocket that sends an author cookie, as a browser does on every process behind a
 * load balancer: a client that moves keeps its author, so its Yjs client id stays its own.
 */
function socketWithAuthor(author = `a.${randomBytes(16).toString('base64url')}`): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: `gp_author=${author}` } });
    }
  } as typeof WebSocket;
}

/** The text of the mover's own paragraph (marked `mover`), or of the other one, in `doc`; '' without it. */
function paragraphText(doc: Y.Doc, mover: boolean): string {
  const paragraph = doc
    .getXmlFragment('default')
    .toArray()
    .find((node) => node instanceof Y.XmlElement && (node.getAttribute('mover') === 'yes') === mover);
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
  return text instanceof Y.XmlText ? text.toString() : '';
}

describe.skipIf(!available)('three processes on PostgreSQL and Redis', () => {
  let pg: ServiceInstance;
  let redis: ServiceInstance;
  const nodes: ChildServer[] = [];
  const clients: ProviderClient[] = [];

  const startNode = () =>
    startServer({ env: { DATABASE_URL: pg.url, REDIS_URL: redis.url, ADMIN_TOKEN, UNLOAD_DELAY_MS: '2000', REVISION_WINDOW_MS: '200' } });

  const client = (node: ChildServer, padId: string): ProviderClient => {
    const c = connectProvider(node.wsUrl, padId, { WebSocketPolyfill: socketWithAuthor() });
    clients.push(c);
    return c;
  };

  const sameState = (docs: Y.Doc[]) =>
    docs.every((doc) => Y.equalSnapshots(Y.snapshot(doc), Y.snapshot(docs[0])) && readNotesText(doc) === readNotesText(docs[0]));

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    // The first one applies the migrations; the others start together.
    nodes.push(await startNode());
    nodes.push(...(await Promise.all([startNode(), startNode()])));
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await Promise.all(nodes.map((node) => node.kill()));
    await Promise.all([pg?.destroy(), redis?.destroy()]);
  });

  it('shows an Etherpad import on one process at once to people in the pad on the others', async () => {
    const readers = [client(nodes[1], 'cl-import'), client(nodes[2], 'cl-import')];
    await Promise.all(readers.map(synced));
    const res = await api(nodes[0].baseUrl, 'POST', '/api/v1/pads/cl-import/import/etherpad', {
      rawBody: readFileSync(join(import.meta.dirname, '..', 'fixtures', 'etherpad', 'two-authors.etherpad'), 'utf8'),
      token: ADMIN_TOKEN,
    });
    expect(res.status).toBe(201);
    await waitUntil(
      () => readers.every((r) => /<bold>Title<\/bold>.*visit .*example\.org.* now/.test(r.doc.getXmlFragment('default').toString())),
      'the import on the other processes',
    );
    expect(readers.every((r) => r.doc.getArray('chat').length === 2)).toBe(true);
    const again = await api(nodes[2].baseUrl, 'POST', '/api/v1/pads/cl-import/import/etherpad', {
      rawBody: readFileSync(join(import.meta.dirname, '..', 'fixtures', 'etherpad', 'test.etherpad'), 'utf8'),
      token: ADMIN_TOKEN,
    });
    expect(again.status).toBe(409);
  });

  it('converges concurrent edits from clients on three processes to one Yjs state', async () => {
    const writers = [0, 0, 1, 1, 2, 2].map((i) => client(nodes[i], 'cl-converge'));
    await Promise.all(writers.map(synced));
    for (let round = 0; round < 25; round += 1) {
      for (const [i, w] of writers.entries()) {
        const text = notesText(w.doc);
        text.insert((round * 7 + i * 3) % (text.length + 1), String.fromCharCode(97 + ((round + i) % 26)));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitUntil(() => sameState(writers.map((w) => w.doc)), 'all six clients converge', 20_000);
    expect(readNotesText(writers[0].doc).length).toBe(150);
    // A fresh reader on each process loads the same state from the store and the live rooms.
    const readers = nodes.map((node) => client(node, 'cl-converge'));
    await Promise.all(readers.map(synced));
    await waitUntil(() => sameState([writers[0].doc, ...readers.map((r) => r.doc)]), 'fresh readers agree');
    const encoded = readers.map((r) => Y.encodeStateVector(r.doc));
    for (const sv of encoded) expect(Buffer.from(sv).equals(Buffer.from(encoded[0]))).toBe(true);
  });

  it('shows awareness across processes, also to a process that loads the pad later', async () => {
    const ann = client(nodes[0], 'cl-aware');
    const bob = client(nodes[1], 'cl-aware');
    await Promise.all([synced(ann), synced(bob)]);
    ann.provider.awareness.setLocalStateField('user', { name: 'Ann', color: '#aa0000' });
    const seesAnn = (c: ProviderClient) => Array.from(c.provider.awareness.getStates().values()).some((s) => s.user?.name === 'Ann');
    await waitUntil(() => seesAnn(bob), 'Bob on another process sees Ann');
    const cy = client(nodes[2], 'cl-aware');
    await synced(cy);
    await waitUntil(() => seesAnn(cy), 'a client on a third process that just loaded the pad sees Ann');
    ann.provider.disconnect();
    await waitUntil(() => !seesAnn(bob) && !seesAnn(cy), 'Ann gone from the others once she leaves');
  });

  it('loses nothing acknowledged when a process is killed with -9; its clients move on', async () => {
    const victim = await startNode();
    nodes.push(victim);
    const watcher = client(nodes[0], 'cl-kill');
    await synced(watcher);
    const raw = await openRaw(`${victim.wsUrl}/cl-kill?ack=1`);
    let acked = 0;
    raw.ws.on('message', (data: Buffer) => {
      if (data[0] !== MessageType.saved) return;
      const decoder = decoding.createDecoder(new Uint8Array(data));
      decoding.readVarUint(decoder);
      acked = Math.max(acked, readSaved(decoder));
    });
    const doc = new Y.Doc();
    doc.clientID = 777;
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 300; i += 1) notesText(doc).insert(i, String.fromCharCode(97 + (i % 26)));
    for (const update of updates) raw.ws.send(updateFrameOf(update));
    // A stock client typing on the same process, moved to another process after the kill.
    const moverSocket = socketWithAuthor();
    const mover = connectProvider(victim.wsUrl, 'cl-kill', { WebSocketPolyfill: moverSocket });
    clients.push(mover);
    await synced(mover);
    const own = new Y.XmlElement('paragraph');
    own.setAttribute('mover', 'yes');
    own.insert(0, [new Y.XmlText('before kill')]);
    mover.doc.getXmlFragment('default').push([own]);
    await waitUntil(() => acked >= 30 && paragraphText(watcher.doc, true) === 'before kill', 'acks and a relayed edit');
    await victim.kill();
    const ackedAtKill = acked;
    raw.ws.terminate();
    (own.get(0) as Y.XmlText).insert(11, ', after kill');
    mover.provider.destroy();
    const moved = new WebsocketProvider(nodes[1].wsUrl, 'cl-kill', mover.doc, {
      WebSocketPolyfill: moverSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    try {
      await waitUntil(() => paragraphText(watcher.doc, true) === 'before kill, after kill', 'the moved client converges with the watcher');
      const stored = paragraphText(watcher.doc, false);
      // The raw writer's first write is the notes' paragraph, each later one a character.
      expect(stored.length).toBeGreaterThanOrEqual(ackedAtKill - 1);
      expect(stored).toBe(readNotesText(doc).slice(0, stored.length));
    } finally {
      moved.destroy();
    }
  });

  it('keeps converging through a Redis restart mid-edit', async () => {
    const a = client(nodes[0], 'cl-redis');
    const b = client(nodes[1], 'cl-redis');
    await Promise.all([synced(a), synced(b)]);
    notesText(a.doc).insert(0, 'one ');
    await waitUntil(() => readNotesText(b.doc) === 'one ', 'relayed before the restart');
    await redis.stop();
    notesText(a.doc).insert(4, 'two ');
    notesText(b.doc).insert(0, '[b] ');
    await redis.start();
    notesText(a.doc).insert(0, '[a] ');
    await waitUntil(() => sameState([a.doc, b.doc]), 'converged after Redis came back', 20_000);
    expect(readNotesText(a.doc)).toBe(readNotesText(b.doc));
    expect(readNotesText(a.doc)).toContain('two');
  });

  it('refuses writes while PostgreSQL is down and recovers when it returns', async () => {
    const a = client(nodes[0], 'cl-pg');
    const b = client(nodes[2], 'cl-pg');
    await Promise.all([synced(a), synced(b)]);
    notesText(a.doc).insert(0, 'saved. ');
    await waitUntil(() => readNotesText(b.doc) === 'saved. ', 'relayed before the outage');
    await pg.stop();
    try {
      // A process that does not hold the pad can neither check access to it nor load it: 1013, retry later.
      const raw = await openRaw(`${nodes[1].wsUrl}/cl-pg?ack=1`);
      const closed = await raw.closed;
      expect(closed.code).toBe(1013);
      expect(closed.reason).toMatch(/try again/);
      const put = await fetch(`${nodes[1].baseUrl}/api/v1/pads/cl-pg-api/content`, {
        method: 'PUT',
        headers: { 'content-type': 'text/markdown' },
        body: '# x',
      });
      expect(put.status).toBeGreaterThanOrEqual(500);
      notesText(a.doc).insert(7, 'typed during the outage.');
      // The process holding the pad cannot commit it: the pad is dropped and its clients told to retry.
      await waitUntil(() => !a.provider.wsconnected || a.provider.ws?.readyState !== WebSocket.OPEN, 'writer disconnected', 15_000);
      expect(readNotesText(b.doc)).toBe('saved. ');
    } finally {
      await pg.start();
    }
    await waitUntil(
      () => sameState([a.doc, b.doc]) && readNotesText(b.doc) === 'saved. typed during the outage.',
      'recovered after PostgreSQL came back',
      30_000,
    );
    const reader = client(nodes[1], 'cl-pg');
    await synced(reader);
    expect(readNotesText(reader.doc)).toBe('saved. typed during the outage.');
  });

  it('counts the people on a pad across all processes on the event page', async () => {
    expect(
      (await admin(nodes[0].baseUrl, 'PUT', '/api/v1/events/clev', { name: 'Cluster PTG', teams: [{ slug: 'nova', name: 'Nova' }] }))
        .status,
    ).toBe(201);
    const people = [client(nodes[0], 'clev-nova'), client(nodes[1], 'clev-nova'), client(nodes[1], 'clev-nova')];
    await Promise.all(people.map(synced));
    const liveOn = async (node: ChildServer) =>
      (await api(node.baseUrl, 'GET', '/api/v1/events/clev')).body.teams[0].pads[0].live as number;
    const counts = async (expected: number, on: ChildServer[]) => {
      let seen: number[] = [];
      const everyProcessSees = async () => {
        seen = await Promise.all(on.map(liveOn));
        return seen.every((n) => n === expected);
      };
      await waitUntil(everyProcessSees, () => `live count ${expected} on every process, saw ${seen.join(', ')}`, 15_000, 250);
    };
    // Shared every 2 s: every process, including one nobody is connected to, sees all three.
    await counts(3, nodes.slice(0, 3));
    people[1].destroy();
    await counts(2, nodes.slice(0, 3));
  });

  it('gives the same history, exports and search answers on every process', async () => {
    const writer = client(nodes[0], 'cl-agree');
    const other = client(nodes[2], 'cl-agree');
    await Promise.all([synced(writer), synced(other)]);
    appendParagraphs(writer.doc, ['Agreed: the walrus migration ships in the next cycle.']);
    appendParagraphs(other.doc, ['Second paragraph from another process.']);
    await waitUntil(
      () => sameState([writer.doc, other.doc]) && writer.doc.getXmlFragment('default').length === 2,
      'both paragraphs everywhere',
    );
    const get = async (path: string) => Promise.all(nodes.slice(0, 3).map((node) => api(node.baseUrl, 'GET', path)));
    const exports = await get('/api/v1/pads/cl-agree/export.md');
    for (const res of exports) {
      expect(res.status).toBe(200);
      expect(res.body).toBe(exports[0].body);
    }
    expect(exports[0].body).toContain('walrus');
    const revisions = await get('/api/v1/pads/cl-agree/revisions');
    for (const res of revisions) expect(res.body).toEqual(revisions[0].body);
    expect(revisions[0].status).toBe(200);
    let results: Awaited<ReturnType<typeof get>> = [];
    const indexedEverywhere = async () => {
      results = await get('/api/v1/search?q=walrus');
      return results.every((r) => r.body.results?.length === 1);
    };
    await waitUntil(indexedEverywhere, 'the word indexed on every process', 15_000, 200);
    for (const res of results) expect(res.body.results.map((r: { padId: string }) => r.padId)).toEqual(['cl-agree']);
    const meta = await get('/api/v1/pads/cl-agree');
    const readOnlyId = meta[0].body.readOnlyId as string;
    for (const res of meta) expect(res.body.readOnlyId).toBe(readOnlyId);
    const viaReadOnly = await get(`/api/v1/pads/${readOnlyId}/export.md`);
    for (const res of viaReadOnly) expect(res.body).toBe(exports[0].body);
  });
});
