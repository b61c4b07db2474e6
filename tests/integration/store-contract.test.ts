/**
 * The store contract: the same cases against every backend (SQLite in a temp folder, and
 * PostgreSQL in a fresh database on TEST_DATABASE_URL). Pads and the update log (seqs, claims,
 * snapshots, tails with gaps), read-only ids, edit keys, authors, the access lookups, events,
 * search answers, the history store and the work lease.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { EventRecord, TeamRecord } from '../../server/events/event-store.js';
import type { Revision } from '../../server/history/types.js';
import { searchTerms } from '../../server/search/search-index.js';
import { openSqliteStores, openStores, type Stores } from '../../server/store/stores.js';
import type { NewUpdate } from '../../server/sync/types.js';
import { tempDataDir } from '../helpers/server.js';
import { freshDatabase, sharedServices } from '../helpers/services.js';

const shared = sharedServices();

interface Backend {
  name: string;
  open(): Promise<{ stores: Stores; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const dataDir = tempDataDir();
      const stores = openSqliteStores({ dataDir, sqliteSynchronous: 'NORMAL' });
      return { stores, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    async open() {
      const db = await freshDatabase(shared!.databaseUrl);
      const stores = await openStores({ dataDir: '', databaseUrl: db.url, sqliteSynchronous: 'NORMAL' });
      return { stores, cleanup: () => db.drop() };
    },
  },
];

/** A Yjs update inserting `text` at the end of `doc`'s 'default' text, from client `client`. */
function edit(doc: Y.Doc, text: string): Uint8Array {
  let captured: Uint8Array | null = null;
  const capture = (update: Uint8Array) => (captured = update);
  doc.on('update', capture);
  const t = doc.getText('t');
  t.insert(t.length, text);
  doc.off('update', capture);
  return captured!;
}

const rec = (padId: string, data: Uint8Array, author = 'a1', claims: number[] = [], time = Date.now()): NewUpdate => ({
  padId,
  time,
  author,
  data,
  claims,
});

function textOf(parts: (Uint8Array | null)[]): string {
  const doc = new Y.Doc();
  for (const part of parts) if (part) Y.applyUpdate(doc, part);
  const text = doc.getText('t').toString();
  doc.destroy();
  return text;
}

const event = (slug: string, startsOn = '2026-10-01'): EventRecord => ({
  slug,
  name: `Event ${slug}`,
  startsOn,
  endsOn: '2026-10-03',
  timeZone: 'UTC',
  rooms: ['Room A', 'Room B'],
  days: [{ date: startsOn, slots: [] }],
  extras: { x: 1 },
  createdAt: 1000,
  updatedAt: 2000,
});

const team = (slug: string, extra: Partial<TeamRecord> = {}): TeamRecord => ({
  slug,
  name: slug.toUpperCase(),
  color: null,
  padUrl: null,
  now: null,
  next: [],
  boardUpdatedAt: null,
  ...extra,
});

const revision = (rev: number, firstSeq: number, lastSeq: number, author = 'a1'): Revision => ({
  rev,
  firstSeq,
  lastSeq,
  startTime: 1000 + rev,
  endTime: 1000 + rev,
  authors: [author],
  updates: lastSeq - firstSeq + 1,
  bytes: 10,
  inserted: 1,
  deleted: 0,
});

describe.each(backends)('store contract: $name', (backend) => {
  const skip = backend.name === 'postgres' && shared === null;
  let stores: Stores;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (skip) return;
    ({ stores, cleanup } = await backend.open());
  });
  afterAll(async () => {
    if (skip) return;
    await stores.close();
    await cleanup();
  });

  describe.skipIf(skip)('cases', () => {
    it('creates a pad on its first update, with a read-only id; loading one creates nothing', async () => {
      expect(await stores.pads.getPad('c-new')).toBeNull();
      const pad = await stores.pads.loadPad('c-new');
      expect(pad).toMatchObject({ snapshot: null, tail: [], lastSeq: 0, updatesSinceSnapshot: 0, storedBytes: 0 });
      expect(pad.clientOwners.size).toBe(0);
      expect(await stores.pads.getPad('c-new')).toBeNull();
      expect(await stores.pads.readOnlyIdOf('c-new')).toBeNull();

      const doc = new Y.Doc();
      expect(await stores.pads.appendUpdates([rec('c-new', edit(doc, 'a')), rec('c-new-2', edit(new Y.Doc(), 'b'))])).toEqual([1, 1]);
      expect(await stores.pads.getPad('c-new')).toMatchObject({ id: 'c-new', lastSeq: 1 });
      expect(await stores.pads.getPad('c-new-2')).toMatchObject({ id: 'c-new-2', lastSeq: 1 });
      const readOnlyId = await stores.pads.readOnlyIdOf('c-new');
      expect(readOnlyId).toMatch(/^r\./);
      expect(await stores.pads.readOnlyIdOf('c-new-2')).not.toBe(readOnlyId);
      expect(await stores.pads.padIdForReadOnlyId(readOnlyId!)).toBe('c-new');
      expect(await stores.pads.padIdForReadOnlyId('r.aaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeNull();
      await stores.pads.appendUpdates([rec('c-new', edit(doc, 'c'))]);
      await stores.pads.loadPad('c-new');
      expect(await stores.pads.readOnlyIdOf('c-new')).toBe(readOnlyId);

      // Created on purpose (the Etherpad API): empty, with a read-only id, once.
      await stores.pads.createPad('c-made');
      expect(await stores.pads.getPad('c-made')).toMatchObject({ id: 'c-made', lastSeq: 0 });
      const made = await stores.pads.readOnlyIdOf('c-made');
      expect(made).toMatch(/^r\./);
      await stores.pads.createPad('c-made');
      expect(await stores.pads.readOnlyIdOf('c-made')).toBe(made);
      expect(await stores.pads.appendUpdates([rec('c-made', edit(new Y.Doc(), 'x'))])).toEqual([1]);
    });

    it('assigns consecutive seqs per pad, across pads in one batch and across batches', async () => {
      await stores.pads.loadPad('c-seq-a');
      await stores.pads.loadPad('c-seq-b');
      const a = new Y.Doc();
      const b = new Y.Doc();
      const seqs = await stores.pads.appendUpdates([
        rec('c-seq-a', edit(a, 'x')),
        rec('c-seq-b', edit(b, 'y')),
        rec('c-seq-a', edit(a, 'z')),
      ]);
      expect(seqs).toEqual([1, 1, 2]);
      expect(await stores.pads.appendUpdates([rec('c-seq-a', edit(a, '!'))])).toEqual([3]);
      expect(await stores.pads.appendUpdates([])).toEqual([]);
      expect((await stores.pads.getPad('c-seq-a'))?.lastSeq).toBe(3);
      const loaded = await stores.pads.loadPad('c-seq-a');
      expect(loaded.lastSeq).toBe(3);
      expect(loaded.updatesSinceSnapshot).toBe(3);
      expect(textOf(loaded.tail)).toBe('xz!');
    });

    it('gives concurrent writers distinct, gap-free seqs', async () => {
      await stores.pads.loadPad('c-race');
      const doc = new Y.Doc();
      const updates = Array.from({ length: 30 }, (_, i) => edit(doc, String(i % 10)));
      const results = await Promise.all(updates.map((u) => stores.pads.appendUpdates([rec('c-race', u)])));
      expect(results.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(textOf((await stores.pads.loadPad('c-race')).tail)).toBe(doc.getText('t').toString());
    });

    it('refuses a batch with a broken record, storing none of it', async () => {
      const doc = new Y.Doc();
      await stores.pads.appendUpdates([rec('c-atomic', edit(doc, 'a'))]);
      const broken = { ...rec('c-atomic', edit(doc, 'c')), data: null as unknown as Uint8Array };
      await expect(stores.pads.appendUpdates([rec('c-atomic', edit(doc, 'b')), broken])).rejects.toThrow();
      expect((await stores.pads.loadPad('c-atomic')).lastSeq).toBe(1);
      expect(await stores.pads.appendUpdates([rec('c-atomic', edit(doc, 'd'))])).toEqual([2]);
    });

    it('records client-id claims, first author wins', async () => {
      await stores.pads.loadPad('c-claims');
      const doc = new Y.Doc();
      await stores.pads.appendUpdates([rec('c-claims', edit(doc, 'a'), 'alice', [doc.clientID, 7])]);
      await stores.pads.appendUpdates([rec('c-claims', edit(doc, 'b'), 'bob', [7, 8])]);
      const owners = (await stores.pads.loadPad('c-claims')).clientOwners;
      expect(Object.fromEntries(owners)).toEqual({ [doc.clientID]: 'alice', 7: 'alice', 8: 'bob' });
    });

    it('loads from the latest snapshot plus the updates after it; reads tails after a seq', async () => {
      await stores.pads.loadPad('c-snap');
      const doc = new Y.Doc();
      await stores.pads.appendUpdates([rec('c-snap', edit(doc, 'ab')), rec('c-snap', edit(doc, 'cd'))]);
      await stores.pads.writeSnapshot('c-snap', 1, Y.encodeStateAsUpdate(doc));
      await stores.pads.writeSnapshot('c-snap', 2, Y.encodeStateAsUpdate(doc));
      await stores.pads.appendUpdates([rec('c-snap', edit(doc, 'ef'))]);
      const loaded = await stores.pads.loadPad('c-snap');
      expect(loaded.lastSeq).toBe(3);
      expect(loaded.tail).toHaveLength(1);
      expect(loaded.updatesSinceSnapshot).toBe(1);
      expect(textOf([loaded.snapshot, ...loaded.tail])).toBe('abcdef');
      expect(loaded.storedBytes).toBe(loaded.snapshot!.length + loaded.tail[0].length);

      const afterTwo = await stores.pads.readTail('c-snap', 2);
      expect(afterTwo.snapshot).toBeNull();
      expect(afterTwo.updates).toHaveLength(1);
      expect(afterTwo.lastSeq).toBe(3);
      const afterOne = await stores.pads.readTail('c-snap', 1);
      expect(afterOne.snapshot).not.toBeNull();
      expect(textOf([afterOne.snapshot, ...afterOne.updates])).toBe('abcdef');
      const afterAll = await stores.pads.readTail('c-snap', 3);
      expect(afterAll).toMatchObject({ snapshot: null, updates: [], lastSeq: 3 });
    });

    it('loads a log with seq gaps left by history compaction', async () => {
      await stores.pads.loadPad('c-gaps');
      const doc = new Y.Doc();
      const parts = ['a', 'b', 'c', 'd'].map((ch) => edit(doc, ch));
      await stores.pads.appendUpdates(parts.map((p) => rec('c-gaps', p)));
      await stores.history.mergeLogRows('c-gaps', 1, 3, Y.mergeUpdates(parts.slice(0, 3)));
      const loaded = await stores.pads.loadPad('c-gaps');
      expect(loaded.lastSeq).toBe(4);
      expect(loaded.tail).toHaveLength(2);
      expect(textOf(loaded.tail)).toBe('abcd');
      expect(textOf((await stores.pads.readTail('c-gaps', 2)).updates)).toBe('abcd');
      expect(await stores.pads.appendUpdates([rec('c-gaps', edit(doc, 'e'))])).toEqual([5]);
    });

    it('stores edit keys and author profiles', async () => {
      expect(await stores.pads.editKeyHash('pad:c-keys')).toBeNull();
      await stores.pads.setEditKeyHash('pad:c-keys', 'hash1');
      await stores.pads.setEditKeyHash('pad:c-keys', 'hash2');
      expect(await stores.pads.editKeyHash('pad:c-keys')).toBe('hash2');
      await stores.pads.setEditKeyHash('pad:c-keys', null);
      expect(await stores.pads.editKeyHash('pad:c-keys')).toBeNull();

      await stores.pads.saveAuthor('au1', { name: 'Ada', color: '#123456' });
      await stores.pads.saveAuthor('au1', { name: 'Ada L.', color: '#654321' });
      await stores.pads.saveAuthor('au2', { name: 'Bo', color: '' });
      const authors = await stores.pads.getAuthors(['au1', 'au2', 'au3', 'au1']);
      expect(Object.fromEntries(authors)).toEqual({ au1: { name: 'Ada L.', color: '#654321' }, au2: { name: 'Bo', color: '' } });
      expect((await stores.pads.getAuthors([])).size).toBe(0);
    });

    it('gives each author one public id, random and kept; api and system stay as they are', async () => {
      const first = await stores.pads.publicAuthorIds(['a.pub-1', 'a.pub-2', 'a.pub-1', 'api', 'system']);
      expect(first.size).toBe(4);
      expect(first.get('a.pub-1')).toMatch(/^p\.[A-Za-z0-9_-]{16}$/);
      expect(first.get('a.pub-2')).not.toBe(first.get('a.pub-1'));
      expect([first.get('api'), first.get('system')]).toEqual(['api', 'system']);
      const again = await stores.pads.publicAuthorIds(['a.pub-2', 'a.pub-1']);
      expect([again.get('a.pub-1'), again.get('a.pub-2')]).toEqual([first.get('a.pub-1'), first.get('a.pub-2')]);
      expect((await stores.pads.publicAuthorIds([])).size).toBe(0);
    });

    it('saves events with teams and bookings, lists and deletes them', async () => {
      expect(
        await stores.events.saveEvent(
          event('ptg'),
          [team('nova'), team('cinder', { now: 'Backups', next: ['a', 'b'] })],
          [
            { room: 'Room A', day: '2026-10-01', slot: '09:00', team: 'nova' },
            { room: 'Room B', day: '2026-10-01', slot: '09:00', team: 'cinder' },
          ],
        ),
      ).toBe(true);
      expect(await stores.events.saveEvent({ ...event('ptg'), name: 'Renamed' }, null, null)).toBe(false);
      await stores.events.saveEvent(event('aaa', '2026-01-01'), [], null);
      const list = await stores.events.listEvents();
      expect(list.map((e) => [e.slug, e.teamCount])).toEqual([
        ['aaa', 0],
        ['ptg', 2],
      ]);
      expect(await stores.events.getEvent('ptg')).toMatchObject({
        name: 'Renamed',
        rooms: ['Room A', 'Room B'],
        extras: { x: 1 },
        createdAt: 1000,
      });
      expect(await stores.events.getEvent('nope')).toBeNull();
      expect((await stores.events.getTeams('ptg')).map((t) => t.slug)).toEqual(['nova', 'cinder']);
      expect(await stores.events.getTeam('ptg', 'cinder')).toMatchObject({ now: 'Backups', next: ['a', 'b'] });
      expect(await stores.events.insertTeam('ptg', team('ironic'))).toBe(true);
      expect(await stores.events.insertTeam('ptg', team('ironic'))).toBe(false);
      await stores.events.updateTeam('ptg', team('ironic', { name: 'Bare metal', boardUpdatedAt: 5 }));
      expect((await stores.events.getTeams('ptg')).map((t) => [t.slug, t.name])).toEqual([
        ['nova', 'NOVA'],
        ['cinder', 'CINDER'],
        ['ironic', 'Bare metal'],
      ]);
      expect(await stores.events.getBookings('ptg')).toHaveLength(2);
      await stores.events.replaceBookings('ptg', [{ room: 'Room A', day: '2026-10-02', slot: '10:00', team: 'ironic' }]);
      expect(await stores.events.getBookings('ptg')).toEqual([{ room: 'Room A', day: '2026-10-02', slot: '10:00', team: 'ironic' }]);
      expect(await stores.events.deleteTeam('ptg', 'ironic')).toBe(true);
      expect(await stores.events.getBookings('ptg')).toEqual([]);
      expect(await stores.access.teamOfPad('ptg-nova')).toEqual({ event: 'ptg', slug: 'nova' });
      expect(await stores.access.teamOfPad('ptg-nova-extra')).toEqual({ event: 'ptg', slug: 'nova' });
      expect(await stores.access.teamOfPad('ptg-novax')).toBeNull();
      // "_" is a letter of a slug, not a wildcard: team "a_b" owns no pad of team "axb".
      await stores.events.insertTeam('ptg', team('a_b'));
      expect(await stores.access.teamOfPad('ptg-axb-notes')).toBeNull();
      expect(await stores.access.teamOfPad('ptg-a_b-notes')).toEqual({ event: 'ptg', slug: 'a_b' });
      await stores.events.deleteTeam('ptg', 'a_b');
      expect(await stores.events.deleteEvent('aaa')).toBe(true);
      expect(await stores.events.deleteEvent('aaa')).toBe(false);
    });

    it('lists pads by prefix with titles and fork records, and deletes pads', async () => {
      const doc = new Y.Doc();
      await stores.pads.appendUpdates(['lp-nova', 'lp-nova-2', 'lpx-other'].map((padId) => rec(padId, edit(doc, padId))));
      await stores.events.setPadTitle('lp-nova-2', 'Second');
      await stores.events.setPadTitle('lp-nova-3', null);
      await stores.history.saveFork('lp-nova-2', { padId: 'lp-nova', rev: 7, createdAt: 1 });
      await stores.history.saveFork('lpx-other', { padId: 'lp-nova', rev: 8, createdAt: 1 });
      const pads = await stores.events.listPads('lp-');
      expect(pads.map((p) => [p.id, p.title, p.updatedAt === null, p.forkOf])).toEqual([
        ['lp-nova', null, false, null],
        ['lp-nova-2', 'Second', false, { padId: 'lp-nova', rev: 7 }],
        ['lp-nova-3', null, true, null],
      ]);
      expect(await stores.events.deletePad('lp-nova-2')).toBe(true);
      expect(await stores.events.deletePad('lp-nova-2')).toBe(false);
      expect(await stores.pads.getPad('lp-nova-2')).toBeNull();
    });

    it('answers searches: ranking, highlights, prefixes, filters, syntax as words', async () => {
      const doc = new Y.Doc();
      await stores.pads.appendUpdates(['s-nova', 's-cinder', 'sx-nova'].map((id) => rec(id, edit(doc, id))));
      await stores.search.index('s-nova', 'Nova notes. We discussed placement and placement aggregates. Placement again.');
      await stores.search.index('s-cinder', 'Cinder: backup drivers; one mention of placement. rock and roll (with "quotes")');
      await stores.search.index('sx-nova', 'Other event: placement too, café');
      const q = (text: string, prefix: string | null = null, limit = 10) =>
        stores.search.search({ terms: searchTerms(text), prefixLast: !/\s$/.test(text), padIdPrefix: prefix, limit });
      const hits = await q('placement');
      expect(hits.map((h) => h.padId)[0]).toBe('s-nova');
      expect(hits.map((h) => h.padId).sort()).toEqual(['s-cinder', 's-nova', 'sx-nova']);
      for (const hit of hits) {
        expect(hit.highlights.length).toBeGreaterThan(0);
        for (const [start, end] of hit.highlights) expect(hit.snippet.slice(start, end).toLowerCase()).toBe('placement');
        expect(hit.snippet).not.toMatch(/[\uE000\uE001]/);
      }
      expect(hits[0].score).toBeLessThanOrEqual(hits[1].score);
      expect((await q('placement', 's-')).map((h) => h.padId).sort()).toEqual(['s-cinder', 's-nova']);
      expect((await q('aggreg')).map((h) => h.padId)).toEqual(['s-nova']);
      expect(await q('aggreg ')).toEqual([]);
      expect((await q('backup placem')).map((h) => h.padId)).toEqual(['s-cinder']);
      expect((await q('rock AND roll')).map((h) => h.padId)).toEqual(['s-cinder']);
      expect((await q('"quotes" (with')).map((h) => h.padId)).toEqual(['s-cinder']);
      expect((await q('cafe')).map((h) => h.padId)).toEqual(['sx-nova']);
      for (const hostile of ['"', "'", '\\', 'NEAR(a b)', "a'b", 'x:*', '!', '&|']) expect(Array.isArray(await q(hostile))).toBe(true);
      expect(await q('placement', null, 1)).toHaveLength(1);
      await stores.search.remove('s-nova');
      expect((await q('aggregates')).map((h) => h.padId)).toEqual([]);
      const stale = await stores.search.stalePads(1000);
      expect(stale).toContain('s-nova');
      expect(stale).not.toContain('s-cinder');
    });

    it('keeps the history index: cursor, revisions, keyframes, saved revisions, forks, squash', async () => {
      await stores.pads.loadPad('h-pad');
      const doc = new Y.Doc();
      const parts = ['a', 'b', 'c', 'd'].map((ch) => edit(doc, ch));
      await stores.pads.appendUpdates(parts.map((p) => rec('h-pad', p)));
      const h = stores.history;
      expect(await h.cursor('h-pad')).toEqual({ indexedSeq: 0, builtRev: 0 });
      expect((await h.readUpdates('h-pad', 1, 3, 10)).map((u) => u.seq)).toEqual([2, 3]);
      expect((await h.readUpdates('h-pad', 0, Number.MAX_SAFE_INTEGER, 2)).map((u) => u.seq)).toEqual([1, 2]);
      await h.saveIndex('h-pad', [revision(1, 1, 2), revision(2, 3, 4, 'a2')], new Map([[doc.clientID, 'a1']]), 4);
      await h.saveIndex('h-pad', [], new Map([[doc.clientID, 'other']]), 4);
      await h.setBuiltRev('h-pad', 1);
      expect(await h.cursor('h-pad')).toEqual({ indexedSeq: 4, builtRev: 1 });
      expect(await h.lastRevision('h-pad')).toEqual(revision(2, 3, 4, 'a2'));
      expect(await h.firstRevision('h-pad')).toEqual(revision(1, 1, 2));
      expect(await h.revision('h-pad', 3)).toBeNull();
      expect((await h.listRevisions('h-pad', 0, 10)).map((r) => r.rev)).toEqual([1, 2]);
      expect(Object.fromEntries(await h.clients('h-pad'))).toEqual({ [doc.clientID]: 'a1' });
      const state = Y.encodeStateAsUpdate(doc);
      await h.saveKeyframe('h-pad', { seq: 2, rev: 1, data: state });
      expect(await h.keyframeAtOrBefore('h-pad', 1)).toBeNull();
      expect((await h.keyframeAtOrBefore('h-pad', 3))?.seq).toBe(2);
      const saved = await h.saveRevision('h-pad', 1, 'Before lunch', 'a1');
      expect(saved).toMatchObject({ rev: 1, label: 'Before lunch', author: 'a1' });
      expect((await h.savedRevisions('h-pad')).map((s) => s.id)).toEqual([saved.id]);
      await h.saveFork('h-pad', { padId: 'origin', rev: 3, createdAt: 42 });
      expect(await h.forkOrigin('h-pad')).toEqual({ padId: 'origin', rev: 3, createdAt: 42 });
      expect(await h.forkOrigin('nope')).toBeNull();
      const bytes = await h.storedBytes('h-pad');
      expect(bytes.logRows).toBe(4);
      expect(bytes.keyframeCount).toBe(1);

      await h.squashBefore('h-pad', { ...revision(2, 1, 4), authors: ['a1', 'a2'] }, { seq: 4, rev: 2, data: state });
      expect((await h.listRevisions('h-pad', 0, 10)).map((r) => [r.rev, r.firstSeq])).toEqual([[2, 1]]);
      expect((await h.savedRevisions('h-pad'))[0].rev).toBe(2);
      expect((await h.storedBytes('h-pad')).logRows).toBe(0);
      const loaded = await stores.pads.loadPad('h-pad');
      expect(loaded.lastSeq).toBe(4);
      expect(textOf([loaded.snapshot, ...loaded.tail])).toBe('abcd');
      expect(await stores.pads.appendUpdates([rec('h-pad', edit(doc, 'e'))])).toEqual([5]);
    });

    it('reports the last seq and the time of the last edit of a pad, in getPad and listPads', async () => {
      const doc = new Y.Doc();
      await stores.pads.appendUpdates([rec('pt-pad', edit(doc, 'a'))]);
      const created = (await stores.pads.getPad('pt-pad'))!;
      expect(created.lastSeq).toBe(1);
      const later = created.updatedAt + 60_000;
      await stores.pads.appendUpdates([
        rec('pt-pad', edit(doc, 'b'), 'a1', [], later - 1000),
        rec('pt-pad', edit(doc, 'c'), 'a1', [], later),
      ]);
      expect(await stores.pads.getPad('pt-pad')).toMatchObject({ lastSeq: 3, updatedAt: later, createdAt: created.createdAt });
      expect((await stores.events.listPads('pt-')).map((p) => [p.id, p.updatedAt])).toEqual([['pt-pad', later]]);
    });

    it('runs leased work; a held lease makes tryRun skip', async () => {
      let release!: () => void;
      let acquired!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const running = new Promise<void>((resolve) => (acquired = resolve));
      const first = stores.lease.run('contract:lease', () => {
        acquired();
        return held.then(() => 'done');
      });
      await running;
      if (stores.kind === 'postgres') expect(await stores.lease.tryRun('contract:lease', async () => {})).toBe(false);
      release();
      expect(await first).toBe('done');
      expect(await stores.lease.tryRun('contract:lease', async () => {})).toBe(true);
    });
  });
});
