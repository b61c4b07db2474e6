/**
 * The log's commit cost on the event loop, through the real SqliteStore: group commits of
 * `perCommit` edits scattered over `pads` pads, one every 4 ms (what CommitQueue does under the
 * many-pads load), timed on the loop. Reports microseconds per edit (the commits alone, and
 * the process's CPU time, which also counts the journal's moves into the log), commit p50/p99
 * and the WAL pages each commit writes (the cost that grows with the number of busy pads).
 * `npm run bench -- commit-cost` (BENCH_PADS, BENCH_PER_COMMIT to vary it).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { SqliteStore } from '../server/store/sqlite-store.js';
import type { NewUpdate } from '../server/sync/types.js';
import { machine, prng, summarize } from './lib/stats.js';

const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

/** One small edit per pad, as a Yjs update (its bytes are what a 4-character insert stores). */
function sampleEdit(): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array = new Uint8Array();
  doc.on('update', (u: Uint8Array) => (update = u));
  doc.getText('t').insert(0, 'abcd');
  return update;
}

async function measure(synchronous: 'FULL' | 'NORMAL', pads: number, perCommit: number, commits: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gp-commit-cost-'));
  const store = new SqliteStore({ dataDir, synchronous });
  try {
    const ids = Array.from({ length: pads }, (_, i) => `bench-commit-cost-team-${i}`);
    for (const id of ids) await store.loadPad(id);
    const data = sampleEdit();
    const random = prng(7);
    const batch = (): NewUpdate[] =>
      Array.from({ length: perCommit }, () => ({
        padId: ids[Math.floor(random() * pads)],
        time: Date.now(),
        author: 'bench-author',
        data,
        claims: [],
      }));
    // Each pad's log gets a few pages before timing starts.
    for (let i = 0; i < (pads * 20) / perCommit; i += 1) await store.appendUpdates(batch());
    const times: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < commits; i += 1) {
      const records = batch();
      const started = performance.now();
      await store.appendUpdates(records);
      times.push(performance.now() - started);
      await sleep(4);
    }
    const cpu = process.cpuUsage(cpuBefore);
    // Pages written per commit, counted as WAL growth with checkpoints off (a WAL that restarts
    // after a checkpoint is rewritten in place and does not grow).
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.db.pragma('wal_autocheckpoint = 0');
    const counted = 200;
    for (let i = 0; i < counted; i += 1) await store.appendUpdates(batch());
    const framesPerCommit = statSync(`${store.path}-wal`).size / (4096 + 24) / counted;
    const s = summarize(times);
    const total = times.reduce((a, b) => a + b, 0);
    return {
      perEdit: (total * 1000) / (commits * perCommit),
      cpuPerEdit: (cpu.user + cpu.system) / (commits * perCommit),
      p50: s.p50,
      p99: s.p99,
      framesPerCommit,
    };
  } finally {
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<string> {
  const pads = Number(process.env.BENCH_PADS ?? 2000);
  const perCommit = Number(process.env.BENCH_PER_COMMIT ?? 60);
  const lines = [
    `### Commit cost: ${perCommit} edits per commit over ${pads} pads, a commit every 4 ms`,
    '',
    `${machine()}, ${new Date().toISOString().slice(0, 10)}, \`npm run bench -- commit-cost\``,
    '',
    '| synchronous | commits on the loop, per edit | CPU per edit | commit p50 | commit p99 | WAL pages per commit |',
    '|---|---|---|---|---|---|',
  ];
  for (const synchronous of ['FULL', 'NORMAL'] as const) {
    const r = await measure(synchronous, pads, perCommit, 1500);
    lines.push(
      `| ${synchronous} | ${r.perEdit.toFixed(1)} us | ${r.cpuPerEdit.toFixed(1)} us | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${r.framesPerCommit.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}
