/**
 * The loop's longest stall while history catches up on a large, busy pad: 800 authors have
 * typed 4-character edits at random places (one Yjs item each) into a real SQLite store; then,
 * five times, 2,500 more edits (a second of 1,000 authors) are committed and a background
 * catch-up runs, as AfterCommitWork schedules it. With the built document kept between runs
 * (the default) against loading it from the latest keyframe each run.
 * `npm run bench -- history-catch-up` (BENCH_EDITS=40000 for the pad's size).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { HistoryIndexer } from '../server/history/history-indexer.js';
import { SqliteHistoryStore } from '../server/store/sqlite-history.js';
import { SqliteStore } from '../server/store/sqlite-store.js';
import type { NewUpdate } from '../server/sync/types.js';
import { machine, prng, watchLoopStalls } from './lib/stats.js';

const PAD = 'bench-history-catch-up';
const AUTHORS = 800;
const ROUNDS = 5;
const PER_ROUND = 2500;

class Typists {
  private readonly doc = new Y.Doc();
  private readonly random = prng(42);
  private time = 1_700_000_000_000;
  private pending: Uint8Array | null = null;

  constructor() {
    this.doc.on('update', (update: Uint8Array) => (this.pending = update));
  }

  edits(count: number): NewUpdate[] {
    const text = this.doc.getText('t');
    const records: NewUpdate[] = [];
    for (let i = 0; i < count; i += 1) {
      const author = Math.floor(this.random() * AUTHORS);
      this.doc.clientID = 1000 + author;
      text.insert(Math.floor(this.random() * (text.length + 1)), 'abcd');
      this.time += 1;
      records.push({ padId: PAD, time: this.time, author: `a.bench${String(author).padStart(18, '0')}`, data: this.pending!, claims: [] });
    }
    return records;
  }

  get bytes(): number {
    return Y.encodeStateAsUpdate(this.doc).length;
  }
}

async function measure(edits: number, keep: boolean): Promise<{ stalls: number[]; padBytes: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gp-history-catch-up-'));
  const store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
  try {
    await store.loadPad(PAD);
    const history = new SqliteHistoryStore(store.db, store.journal);
    const indexer = new HistoryIndexer(history, { windowMs: 2000, keepBuiltLoadMs: keep ? undefined : Infinity });
    const typists = new Typists();
    for (let done = 0; done < edits; done += 5000) await store.appendUpdates(typists.edits(Math.min(5000, edits - done)));
    await indexer.catchUp(PAD);
    const stalls: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      await store.appendUpdates(typists.edits(PER_ROUND));
      const loop = watchLoopStalls();
      await indexer.catchUp(PAD, { background: true });
      stalls.push(loop.stop());
    }
    await indexer.settle();
    return { stalls, padBytes: typists.bytes };
  } finally {
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<string> {
  const edits = Number(process.env.BENCH_EDITS ?? 40_000);
  const lines = [
    '### History catch-up on a large, busy pad: the longest loop stall per run',
    '',
    `${machine()}, ${new Date().toISOString().slice(0, 10)}, \`npm run bench -- history-catch-up\``,
    '',
    `| built document | pad (encoded) | longest stall in each of ${ROUNDS} runs (${PER_ROUND} new edits each) |`,
    '|---|---|---|',
  ];
  for (const keep of [false, true]) {
    const { stalls, padBytes } = await measure(edits, keep);
    lines.push(
      `| ${keep ? 'kept between runs' : 'loaded from the keyframe each run'} | ${(padBytes / 1e6).toFixed(2)} MB | ${stalls.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} |`,
    );
    process.stderr.write(`${lines[lines.length - 1]}\n`);
  }
  return lines.join('\n');
}
