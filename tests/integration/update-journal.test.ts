/**
 * The update journal on a real SQLite file: commits land in `update_journal`, reads see them
 * at once, they move to `update_log` in the background or when a pad is read, a crash image
 * with rows still in the journal opens with them in the log, and deleting a pad or a failed
 * commit leaves nothing behind.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStores } from '../../server/store/stores.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { Logger, NewUpdate } from '../../server/sync/types.js';
import { openRaw, textUpdate, updateFrameOf, waitUntil } from '../helpers/clients.js';
import { startInProcess, tempDataDir } from '../helpers/server.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  warnings.length = 0;
});

/** What the store logged at warn level (journal moves that failed, repairs on open). */
const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
const logger = {
  warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }),
  error: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }),
} as unknown as Pick<Logger, 'warn' | 'error'>;

function openStore(dataDir = tempDataDir(), moveAfterMs = 60_000): SqliteStore {
  const store = new SqliteStore({ dataDir, synchronous: 'FULL', journalTiming: { moveAfterMs, tickMs: 50 }, logger });
  cleanups.push(() => {
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return store;
}

/** Edits typing `text` one character at a time into a fresh document. */
function typing(text: string, clientID?: number): Uint8Array[] {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const ch of text) doc.getText('t').insert(doc.getText('t').length, ch);
  return updates;
}

/** One update inserting `text` into `t` (the store takes any Yjs update; only the server checks the pad's schema). */
function insertion(text: string, clientID: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

const textOf = (parts: readonly Uint8Array[], snapshot: Uint8Array | null = null) => {
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdate(doc, snapshot);
  for (const part of parts) Y.applyUpdate(doc, part);
  return doc.getText('t').toString();
};

const rec = (padId: string, data: Uint8Array): NewUpdate => ({ padId, time: Date.now(), author: 'a.test', data, claims: [] });

function count(store: SqliteStore, table: string, padId: string): number {
  return (store.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE pad_id = ?`).get(padId) as { n: number }).n;
}

describe('update journal', () => {
  it('lands commits in the journal, shows them to readers at once and moves them to the log', async () => {
    const store = openStore(undefined, 200);
    await store.loadPad('j-one');
    await store.loadPad('j-two');
    const one = typing('hello');
    const two = typing('world');
    const seqs = await store.appendUpdates(one.flatMap((u, i) => [rec('j-one', u), rec('j-two', two[i])]));
    expect(seqs).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect([count(store, 'update_journal', 'j-one'), count(store, 'update_log', 'j-one')]).toEqual([5, 0]);
    // The view shows every row once, wherever it is.
    expect(count(store, 'updates', 'j-one')).toBe(5);
    expect((await store.getPad('j-two'))?.lastSeq).toBe(5);

    // Reading a pad moves its rows first.
    expect(textOf((await store.readTail('j-one', 0)).updates)).toBe('hello');
    expect(count(store, 'update_log', 'j-one')).toBe(5);
    expect(count(store, 'updates', 'j-one')).toBe(5);
    expect(count(store, 'update_log', 'j-two')).toBe(0);

    // The rest moves in the background, and the journal empties.
    await waitUntil(() => count(store, 'update_log', 'j-two') === 5, 'j-two moved', 5_000);
    await waitUntil(
      () => (store.db.prepare('SELECT count(*) AS n FROM update_journal').get() as { n: number }).n === 0,
      'journal trimmed',
      5_000,
    );
    expect(count(store, 'updates', 'j-two')).toBe(5);
    // An emptied journal numbers its rows from 1 again: they still move and are deleted.
    expect(await store.appendUpdates([rec('j-two', typing('!')[0])])).toEqual([6]);
    await waitUntil(() => count(store, 'update_log', 'j-two') === 6, 'the next row moved', 5_000);
    await waitUntil(
      () => (store.db.prepare('SELECT count(*) AS n FROM update_journal').get() as { n: number }).n === 0,
      'journal trimmed again',
      5_000,
    );
    expect((await store.loadPad('j-two')).lastSeq).toBe(6);
  });

  it('opens a crash image with rows still in the journal and moves them into the log', async () => {
    const store = openStore();
    await store.loadPad('j-crash');
    const parts = typing('kept across a crash');
    for (const part of parts) await store.appendUpdates([rec('j-crash', part)]);
    expect(count(store, 'update_journal', 'j-crash')).toBe(parts.length);
    // Between commits the file and its WAL are what a crash would leave.
    const image = tempDataDir();
    for (const suffix of ['', '-wal']) {
      if (existsSync(store.path + suffix)) copyFileSync(store.path + suffix, join(image, `gatherpad.sqlite${suffix}`));
    }
    const reopened = openStore(image);
    expect([count(reopened, 'update_journal', 'j-crash'), count(reopened, 'update_log', 'j-crash')]).toEqual([0, parts.length]);
    const loaded = await reopened.loadPad('j-crash');
    expect(loaded.lastSeq).toBe(parts.length);
    expect(textOf(loaded.tail, loaded.snapshot)).toBe('kept across a crash');
  });

  it('deletes a pad with its waiting rows: made again, it starts from seq 1', async () => {
    const dataDir = tempDataDir();
    const stores = openSqliteStores({ dataDir, sqliteSynchronous: 'NORMAL' });
    cleanups.push(() => {
      void stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const pads = stores.pads as SqliteStore;
    await pads.loadPad('j-gone');
    await pads.appendUpdates(typing('abc').map((u) => rec('j-gone', u)));
    const listed = await stores.events.listPads('j-gone');
    expect(listed[0].updatedAt).toBeGreaterThan(0);
    expect(await stores.events.deletePad('j-gone')).toBe(true);
    expect(count(pads, 'updates', 'j-gone')).toBe(0);
    await pads.loadPad('j-gone');
    expect(await pads.appendUpdates([rec('j-gone', typing('x')[0])])).toEqual([1]);
  });

  it('keeps nothing waiting from a commit that failed', async () => {
    const store = openStore();
    const broken = { ...rec('j-ok', typing('b')[0]), data: null as unknown as Uint8Array };
    await expect(store.appendUpdates([rec('j-ok', typing('a')[0]), broken])).rejects.toThrow();
    expect(store.journal.progress('j-ok')).toBeUndefined();
    expect(await store.appendUpdates([rec('j-ok', typing('c')[0])])).toEqual([1]);
    // A seq chosen by the caller still fails on a duplicate.
    await expect(store.appendUpdates([{ ...rec('j-ok', typing('d')[0]), seq: 1 }])).rejects.toThrow();
  });

  it('keeps every row waiting when a move runs out of space midway: no seq given twice, nothing dropped', async () => {
    const store = openStore();
    await store.loadPad('j-small');
    await store.loadPad('j-large');
    const small = typing('ab', 11);
    const large = [insertion('x'.repeat(40_000), 12), insertion('y'.repeat(40_000), 13)];
    await store.appendUpdates([...small.map((u) => rec('j-small', u)), ...large.map((u) => rec('j-large', u))]);
    // SQLite's own "database or disk is full", on the connection that moves rows: the small
    // pad's rows fit in the log's pages, the large pad's do not.
    const mover = store.derivedDb();
    const pages = mover.pragma('page_count', { simple: true }) as number;
    mover.pragma(`max_page_count = ${pages + 1}`);
    expect(() => store.journal.settleAll()).toThrow(/full/);

    // Both pads still wait; the small pad's next update follows its last seq.
    expect(store.journal.progress('j-small')?.lastSeq).toBe(2);
    expect(store.journal.progress('j-large')?.lastSeq).toBe(2);
    expect(await store.appendUpdates([rec('j-small', typing('c', 14)[0])])).toEqual([3]);

    mover.pragma('max_page_count = 1073741823');
    store.journal.settleAll();
    const logSeqs = (padId: string) =>
      (store.db.prepare('SELECT seq FROM update_log WHERE pad_id = ? ORDER BY seq').all(padId) as { seq: number }[]).map((r) => r.seq);
    expect(logSeqs('j-small')).toEqual([1, 2, 3]);
    expect(logSeqs('j-large')).toEqual([1, 2]);
    expect(store.db.prepare('SELECT count(*) AS n FROM update_journal').get()).toEqual({ n: 0 });
    const loaded = await store.loadPad('j-small');
    expect(textOf(loaded.tail, loaded.snapshot).split('').sort().join('')).toBe('abc');
    expect(textOf((await store.loadPad('j-large')).tail).length).toBe(80_000);
  });

  it('tries a failed background move again instead of throwing from its timer', async () => {
    const store = openStore(undefined, 0);
    await store.loadPad('j-retry');
    const mover = store.derivedDb();
    mover.pragma(`max_page_count = ${mover.pragma('page_count', { simple: true }) as number}`);
    await store.appendUpdates([rec('j-retry', insertion('z'.repeat(30_000), 21))]);
    await waitUntil(() => warnings.some((w) => /moving journal rows/.test(w.msg)), 'a failed move reported', 5_000);
    expect(store.journal.progress('j-retry')?.lastSeq).toBe(1);
    mover.pragma('max_page_count = 1073741823');
    await waitUntil(() => count(store, 'update_journal', 'j-retry') === 0, 'moved once there is room', 5_000);
    expect(count(store, 'update_log', 'j-retry')).toBe(1);
  });

  it('opens a journal whose rows reuse a seq (left by older versions) and keeps every row', async () => {
    const dataDir = tempDataDir();
    const first = new SqliteStore({ dataDir, synchronous: 'FULL', journalTiming: { moveAfterMs: 60_000, tickMs: 50 } });
    await first.loadPad('j-dup');
    await first.appendUpdates(['a', 'b', 'c'].map((ch, i) => rec('j-dup', typing(ch, 31 + i)[0])));
    first.journal.settle('j-dup');
    // What a failed move used to leave: seq 2 again (the log has another seq 2), seq 4 twice.
    const insert = first.db.prepare('INSERT INTO update_journal (pad_id, seq, time, author, data) VALUES (?, ?, ?, ?, ?)');
    insert.run('j-dup', 2, Date.now(), 'a.test', typing('d', 41)[0]);
    insert.run('j-dup', 4, Date.now(), 'a.test', typing('e', 42)[0]);
    insert.run('j-dup', 4, Date.now(), 'a.test', typing('f', 43)[0]);
    // Rows moved but not yet deleted are in both tables, byte for byte.
    first.db
      .prepare(
        "INSERT INTO update_journal (pad_id, seq, time, author, data) SELECT pad_id, seq, time, author, data FROM update_log WHERE pad_id = 'j-dup' AND seq = 3",
      )
      .run();
    first.journal.stop();
    first.db.close();
    first.derivedDb().close();

    const reopened = openStore(dataDir);
    expect(warnings.map((w) => w.obj)).toEqual([{ alreadyMoved: 1, renumbered: { 'j-dup': 2 } }]);
    const loaded = await reopened.loadPad('j-dup');
    expect(textOf(loaded.tail, loaded.snapshot).split('').sort().join('')).toBe('abcdef');
    expect(loaded.lastSeq).toBe(6);
    expect(await reopened.appendUpdates([rec('j-dup', typing('g', 44)[0])])).toEqual([7]);
  });

  it('reports its backlog on /metrics', async () => {
    const server = await startInProcess();
    cleanups.push(() => void server.close());
    const backlog = async () => {
      const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
      return Number(/^gatherpad_journal_rows (\d+)$/m.exec(text)?.[1]);
    };
    expect(await backlog()).toBe(0);
    const raw = await openRaw(`${server.wsUrl}/j-metrics`);
    raw.ws.send(updateFrameOf(textUpdate('counted', 31)));
    await waitUntil(() => server.app.stores.journal!.waitingRows === 1, 'the update committed');
    expect(await backlog()).toBe(1);
    raw.ws.close();
    (server.app.stores.pads as SqliteStore).journal.settle('j-metrics');
    expect(await backlog()).toBe(0);
  });
});
