/**
 * The history indexer keeps a pad's built document between runs on a real SQLite store: later
 * runs go on from it instead of loading the keyframe again, the keyframes they write hold the
 * pad's text, and a document built through a revision the store no longer has is not used.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { HistoryIndexer } from '../../server/history/history-indexer.js';
import { SqliteHistoryStore } from '../../server/store/sqlite-history.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { tempDataDir } from '../helpers/server.js';

const PAD = 'kept-doc';
const WINDOW_MS = 2000;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function open(): { store: SqliteStore; history: SqliteHistoryStore } {
  const dataDir = tempDataDir();
  const store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
  cleanups.push(() => {
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { store, history: new SqliteHistoryStore(store.db, store.journal) };
}

/** Two authors taking turns, one edit each, 3 s apart: every edit is a revision of its own. */
class Typists {
  readonly doc = new Y.Doc();
  private seq = 0;
  private pending: Uint8Array | null = null;
  readonly textAt = new Map<number, string>();

  constructor(private readonly store: SqliteStore) {
    this.doc.on('update', (update: Uint8Array) => (this.pending = update));
  }

  async type(edits: number): Promise<void> {
    const text = this.doc.getText('t');
    for (let i = 0; i < edits; i += 1) {
      this.seq += 1;
      text.insert((this.seq * 7) % (text.length + 1), `e${this.seq} `);
      const author = this.seq % 2 === 0 ? 'a.ada00000000000000000000' : 'a.grace0000000000000000000';
      await this.store.appendUpdates([{ padId: PAD, time: 1_700_000_000_000 + this.seq * 3000, author, data: this.pending!, claims: [] }]);
      this.textAt.set(this.seq, text.toString());
    }
  }
}

async function keyframeTexts(history: SqliteHistoryStore, typists: Typists): Promise<{ seq: number; text: string; want: string }[]> {
  const found: { seq: number; text: string; want: string }[] = [];
  for (const seq of typists.textAt.keys()) {
    const keyframe = await history.keyframeAtOrBefore(PAD, seq);
    if (!keyframe || keyframe.seq !== seq) continue;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, keyframe.data);
    found.push({ seq, text: doc.getText('t').toString(), want: typists.textAt.get(seq)! });
    doc.destroy();
  }
  return found;
}

describe('history indexer: the built document kept between runs', () => {
  it('goes on from the kept document, and its keyframes hold the text typed by then', async () => {
    const { store, history } = open();
    await store.loadPad(PAD);
    const typists = new Typists(store);
    const indexer = new HistoryIndexer(history, { windowMs: WINDOW_MS, keyframeEvery: 5, keyframeMinTailRatio: 0, keepBuiltLoadMs: 0 });
    const loads = vi.spyOn(history, 'keyframeAtOrBefore');
    for (let run = 0; run < 6; run += 1) {
      await typists.type(12);
      await indexer.catchUp(PAD);
    }
    // Only the first run built from nothing; the later five went on from the kept document.
    expect(loads).not.toHaveBeenCalled();
    expect((await history.cursor(PAD)).builtRev).toBe(71);
    const keyframes = await keyframeTexts(history, typists);
    expect(keyframes.length).toBe(14);
    for (const { text, want } of keyframes) expect(text).toBe(want);
    await indexer.settle();
  });

  it('loads from the keyframe again when another run built the pad meanwhile', async () => {
    const { store, history } = open();
    await store.loadPad(PAD);
    const typists = new Typists(store);
    const options = { windowMs: WINDOW_MS, keyframeEvery: 5, keyframeMinTailRatio: 0, keepBuiltLoadMs: 0 };
    const first = new HistoryIndexer(history, options);
    const other = new HistoryIndexer(history, options);
    await typists.type(12);
    await first.catchUp(PAD);
    await typists.type(12);
    // Another process (its own indexer) builds past what `first` kept.
    await other.catchUp(PAD);
    await typists.type(12);
    const loads = vi.spyOn(history, 'keyframeAtOrBefore');
    await first.catchUp(PAD);
    expect(loads).toHaveBeenCalledTimes(1);
    const keyframes = await keyframeTexts(history, typists);
    expect(keyframes.length).toBe(7);
    for (const { text, want } of keyframes) expect(text).toBe(want);
    await first.settle();
    await other.settle();
  });
});
