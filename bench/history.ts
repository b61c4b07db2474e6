/**
 * History on a quarter of a million edits: the automerge-paper trace (259,778 patches, one
 * author) typed into a pad as the server's log would hold it (one update per patch, generated
 * by one Y.Doc, rows inserted through the store), then measured through the HTTP API of a real
 * server on that data: stored size against the compacted final state, opening the timeslider
 * (timeline + the latest revision's content), rendering random revisions, diffing random pairs.
 *
 * automerge-paper's own timestamps all fall within 300 ms, so edits are spaced with the gaps of
 * the seph-blog1 trace (a person typing a blog post, 1 s resolution), cycled.
 *
 * `node --import tsx bench/history.ts` (or `npm run bench -- history`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { percentile as percentileOfSorted, prng } from './lib/stats.js';

const percentile = (values: number[], p: number) =>
  percentileOfSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
import { createGatherpad } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { SqliteStore } from '../server/store/sqlite-store.js';
import type { UpdateRecord } from '../server/sync/types.js';
import { applyPatches, loadTrace } from '../tests/helpers/traces.js';

const PAD = 'automerge-paper';
const AUTHOR = 'a.benchauthor000000000000';
const SAMPLES = 100;

const ms = (n: number) => `${n.toFixed(1)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

export async function run(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatherpad-bench-history-'));
  try {
    const trace = loadTrace('automerge-paper');
    const seph = loadTrace('seph-blog1');
    const sephTimes = seph.txns.map((t) => Date.parse(t.time ?? ''));
    const gaps = sephTimes.slice(1).map((t, i) => t - sephTimes[i]);

    // 1. The log, as a live session would have committed it.
    let started = performance.now();
    const store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
    await store.loadPad(PAD);
    await store.saveAuthor(AUTHOR, { name: 'Martin', color: '#1c7ed6' });
    const doc = new Y.Doc();
    let pending: Uint8Array | null = null;
    doc.on('update', (u: Uint8Array) => (pending = u));
    let time = Date.parse('2026-11-01T09:00:00Z');
    let rawBytes = 0;
    let batch: UpdateRecord[] = [];
    for (let i = 0; i < trace.txns.length; i += 1) {
      applyPatches(doc, trace.txns[i].patches);
      if (i > 0) time += gaps[(i - 1) % gaps.length];
      const data = pending as Uint8Array | null;
      pending = null;
      if (!data) continue;
      rawBytes += data.byteLength;
      batch.push({ padId: PAD, seq: i + 1, time, author: AUTHOR, data, claims: i === 0 ? [doc.clientID] : [] });
      if (batch.length === 10_000) {
        await store.appendUpdates(batch);
        batch = [];
      }
    }
    await store.appendUpdates(batch);
    const finalText = doc.getXmlFragment('default').toString();
    if (!finalText.includes(trace.endContent.slice(0, 200))) throw new Error('replay does not match the trace');
    const compact = new Y.Doc();
    Y.applyUpdate(compact, Y.encodeStateAsUpdate(doc));
    const compactedState = Y.encodeStateAsUpdate(compact).byteLength;
    doc.destroy();
    compact.destroy();
    store.close();
    const importMs = performance.now() - started;

    // 2. A real server on that data.
    const config = loadConfig([], { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir, SQLITE_SYNCHRONOUS: 'NORMAL' });
    const app = await createGatherpad(config);
    const base = await app.listen();
    const get = async (path: string): Promise<{ ms: number; body: string }> => {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/pads/${PAD}${path}`);
      const body = await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
      return { ms: performance.now() - t0, body };
    };
    started = performance.now();
    const first = JSON.parse((await get('/timeline')).body) as { firstRev: number; lastRev: number };
    const coldBuildMs = performance.now() - started;

    const bytes = app
      .db!.prepare<[string], { log: number; rows: number }>(
        'SELECT SUM(LENGTH(data)) AS log, COUNT(*) AS rows FROM updates WHERE pad_id = ?',
      )
      .get(PAD)!;
    const keyframes = app
      .db!.prepare<[string], { bytes: number; n: number }>(
        'SELECT COALESCE(SUM(LENGTH(data)), 0) AS bytes, COUNT(*) AS n FROM history_keyframes WHERE pad_id = ?',
      )
      .get(PAD)!;
    const stored = bytes.log + keyframes.bytes;

    const opens: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const t0 = performance.now();
      const timeline = JSON.parse((await get('/timeline')).body) as { lastRev: number };
      await get(`/revisions/${timeline.lastRev}`);
      await get(`/revisions/${timeline.lastRev}/export.json`);
      opens.push(performance.now() - t0);
    }
    const random = prng(5);
    const pick = () => first.firstRev + Math.floor(random() * (first.lastRev - first.firstRev + 1));
    const renders: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) renders.push((await get(`/revisions/${pick()}/export.json`)).ms);
    const diffs: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const a = pick();
      const b = pick();
      diffs.push((await get(`/diff?from=${Math.min(a, b)}&to=${Math.max(a, b)}`)).ms);
    }
    await app.close();

    const ratio = stored / compactedState;
    return [
      '## History',
      '',
      `automerge-paper (${trace.txns.length.toLocaleString('en')} patches, one author) as the server's log: one update row per patch, spaced with seph-blog1's typing gaps; REVISION_WINDOW_MS 2000; measured through the HTTP API of a real server (loopback, fetch included). Machine: 2 cores, 24 GiB, Node ${process.versions.node}. Command: \`node --import tsx bench/history.ts\`. Date: 2026-11-26.`,
      '',
      '| measure | result | target |',
      '|---|---|---|',
      `| revisions | ${(first.lastRev - first.firstRev + 1).toLocaleString('en')} (keyframes: ${keyframes.n}) | |`,
      `| log as committed (one row per patch) | ${kb(rawBytes)} = ${(rawBytes / compactedState).toFixed(1)}x the compacted state | |`,
      `| stored after the per-revision merge (log ${kb(bytes.log)} in ${bytes.rows.toLocaleString('en')} rows + keyframes ${kb(keyframes.bytes)}) | ${kb(stored)} = **${ratio.toFixed(1)}x** the compacted final state (${kb(compactedState)}) | <= 10x |`,
      `| first history request after the import (index + merge + keyframes, once) | ${ms(coldBuildMs)} | |`,
      `| open the timeslider (timeline + latest revision + its content), median / max of 10 | ${ms(percentile(opens, 50))} / ${ms(Math.max(...opens))} | <= 200 ms |`,
      `| render a random revision (rebuild + ProseMirror JSON), p50 / p95 of ${SAMPLES} | ${ms(percentile(renders, 50))} / **${ms(percentile(renders, 95))}** | p95 <= 50 ms |`,
      `| diff two random revisions, p50 / p95 / max of ${SAMPLES} | ${ms(percentile(diffs, 50))} / ${ms(percentile(diffs, 95))} / ${ms(Math.max(...diffs))} | <= 100 ms |`,
      `| import (generate ${trace.txns.length.toLocaleString('en')} updates + insert rows) | ${ms(importMs)} | |`,
      '',
    ].join('\n');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await run()}\n`);
  process.exit(0);
}
