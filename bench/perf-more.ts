/**
 * Scenarios 3 to 6 of the performance harness (see bench/perf.ts for 1 and 2).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { SqliteStore } from '../server/store/sqlite-store.js';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../tests/helpers/browser.js';
import { applyPatches, loadTrace } from '../tests/helpers/traces.js';
import { runAckWriters } from './lib/ack-writers.js';
import { padPageJsGzip } from './lib/client-size.js';
import { ms, summarize } from './lib/stats.js';
import { LoadClient, SentLog, newStats } from './load/load-clients.js';
import { startBenchServer } from './load/servers.js';
import { WIRES, type ServerKind } from './load/wire.js';
import { openPeerDb } from './peers/sqlite-persistence.js';
import { SERVERS } from './perf.js';

const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

/** Scenario 3: RSS per idle connection (2,000 over 100 pads), and Gatherpad's unloading. */
export async function memory(): Promise<string> {
  const lines = [
    '### Scenario 3: memory per idle connection',
    '',
    '| server | RSS with 100 pads open | RSS with 2,000 idle connections | per connection |',
    '|---|---|---|---|',
  ];
  let unloadNote = '';
  for (const kind of SERVERS) {
    const server = await startBenchServer(kind, { UNLOAD_DELAY_MS: '1000' });
    const stats = newStats();
    const clients: LoadClient[] = [];
    const open = async (pad: string) => {
      const client = new LoadClient('lurker', WIRES[kind], server.port, pad, stats, new SentLog());
      clients.push(client);
      await client.connect();
    };
    try {
      for (let p = 0; p < 100; p += 1) await open(`mem-${p}`);
      await sleep(1500);
      const base = server.rssBytes();
      for (let batch = 0; batch < 19; batch += 1) await Promise.all(Array.from({ length: 100 }, (_, p) => open(`mem-${p}`)));
      await sleep(1500);
      const loaded = server.rssBytes();
      const per = (loaded - base) / 1900;
      lines.push(`| ${kind} | ${(base / 1e6).toFixed(0)} MB | ${(loaded / 1e6).toFixed(0)} MB | ${(per / 1024).toFixed(1)} KB |`);
      if (kind === 'gatherpad') {
        for (const client of clients.splice(0)) client.close();
        const started = performance.now();
        let loadedPads = Number.NaN;
        while (performance.now() - started < 10_000) {
          const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
          loadedPads = Number(/^gatherpad_loaded_pads (\d+)/m.exec(metrics)?.[1]);
          if (loadedPads === 0) break;
          await sleep(100);
        }
        unloadNote = `After the last connection closed, Gatherpad had ${loadedPads} pads loaded ${((performance.now() - started) / 1000).toFixed(1)} s later (UNLOAD_DELAY_MS=1000).`;
      }
    } finally {
      for (const client of clients) client.close();
      await server.stop();
    }
  }
  return [...lines, '', unloadNote].join('\n');
}

/** The automerge-paper trace as the per-patch updates a live session commits, and the final state. */
interface PaperData {
  updates: Uint8Array[];
  final: Uint8Array;
  /** A live server writes a snapshot every SNAPSHOT_EVERY (500) updates: the last one it would hold. */
  snapshot: { seq: number; state: Uint8Array };
}

function automergePaper(): PaperData {
  const trace = loadTrace('automerge-paper');
  const doc = new Y.Doc();
  doc.clientID = 1;
  const updates: Uint8Array[] = [];
  let snapshot: PaperData['snapshot'] = { seq: 0, state: new Uint8Array() };
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const txn of trace.txns) {
    applyPatches(doc, txn.patches);
    if (updates.length % 500 === 0) snapshot = { seq: updates.length, state: Y.encodeStateAsUpdate(doc) };
  }
  return { updates, final: Y.encodeStateAsUpdate(doc), snapshot };
}

async function seed(kind: ServerKind, dataDir: string, pad: string, data: PaperData): Promise<void> {
  if (kind === 'gatherpad') {
    const store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
    await store.loadPad(pad);
    for (let i = 0; i < data.updates.length; i += 5000) {
      await store.appendUpdates(
        data.updates
          .slice(i, i + 5000)
          .map((u, j) => ({ padId: pad, seq: i + j + 1, time: Date.now(), author: 'a.bench', data: u, claims: i + j === 0 ? [1] : [] })),
      );
    }
    await store.writeSnapshot(pad, data.snapshot.seq, data.snapshot.state);
    store.close();
    return;
  }
  const db = openPeerDb(dataDir);
  if (kind === 'y-websocket') db.prepare('INSERT INTO updates (doc, data) VALUES (?, ?)').run(pad, data.final);
  else db.prepare('INSERT INTO states (doc, data) VALUES (?, ?)').run(pad, data.final);
  db.close();
}

/** Scenario 4: a new client opening the automerge-paper pad on a freshly started server. */
export async function coldOpen(runs = 5): Promise<string> {
  let started = performance.now();
  const data = automergePaper();
  process.stderr.write(
    `  replayed automerge-paper: ${data.updates.length} updates in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  const lines = [
    '### Scenario 4: cold open of the automerge-paper pad (260k edits stored; Gatherpad with its full log)',
    '',
    '| server | open to full content, median | max |',
    '|---|---|---|',
  ];
  const medians = new Map<ServerKind, number>();
  for (const kind of SERVERS) {
    const times: number[] = [];
    for (let r = 0; r < runs; r += 1) {
      started = performance.now();
      const server = await startSeeded(kind, data);
      process.stderr.write(`  ${kind} run ${r + 1}: seeded and started in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      try {
        const reader = new LoadClient('lurker', WIRES[kind], server.port, 'paper', newStats(), new SentLog());
        const started = performance.now();
        await reader.connect();
        times.push(performance.now() - started);
        reader.close();
      } finally {
        await server.stop();
      }
    }
    const s = summarize(times);
    medians.set(kind, s.p50);
    lines.push(`| ${kind} | ${ms(s.p50)} | ${ms(s.max)} |`);
  }
  const bestPeer = Math.min(medians.get('y-websocket')!, medians.get('hocuspocus')!);
  lines.push('', `Gatherpad / best peer: ${(medians.get('gatherpad')! / bestPeer).toFixed(2)}x (lower is better)`);
  return lines.join('\n');
}

/** A server started on a data folder that already holds the pad, so the open is cold. */
async function startSeeded(kind: ServerKind, data: PaperData) {
  const dataDir = mkdtempSync(join(tmpdir(), `gp-bench-cold-${kind}-`));
  await seed(kind, dataDir, 'paper', data);
  return startBenchServer(kind, { DATA_DIR: dataDir });
}

/** Scenario 5: saved-ack latency with 200 writers, and commits (fsyncs) per second. */
export async function durability(writers = 200, seconds = 15): Promise<string> {
  const server = await startBenchServer('gatherpad');
  const metric = async (name: string) =>
    Number(new RegExp(`^${name} ([0-9.e+]+)`, 'm').exec(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text())?.[1] ?? NaN);
  const { latencies } = await runAckWriters(`ws://127.0.0.1:${server.port}/ws/bench-durability`, writers, seconds, 400);
  const commits = await metric('gatherpad_commit_seconds_count');
  const updates = await metric('gatherpad_committed_updates_total');
  await server.stop();
  const s = summarize(latencies);
  return [
    '### Scenario 5: durability cost (Gatherpad; the peers have no commit acknowledgement)',
    '',
    `${writers} writers, each sending a 4-character edit every 400 ms for ${seconds} s (${latencies.length} acknowledged edits; SQLite WAL, synchronous=FULL, one fsync per commit):`,
    '',
    `- saved-ack latency: p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`,
    `- commits (transactions, each one fsync): ${commits} for ${updates} updates, ${(commits / seconds).toFixed(0)} a second, ${(updates / commits).toFixed(1)} updates per commit`,
  ].join('\n');
}

/**
 * A link like busy conference Wi-Fi, emulated by Chromium (DevTools network conditions): what a
 * PTG room's laptops see more often than loopback.
 */
const CONFERENCE_WIFI = { offline: false, latency: 40, downloadThroughput: (10 * 1e6) / 8, uploadThroughput: (5 * 1e6) / 8 };

/** Marks, in the page, when the editor first accepts input (ms since navigation start). */
function markEditable(): void {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('.ProseMirror[contenteditable="true"]')) return;
    (window as unknown as { gatherpadEditableAt: number }).gatherpadEditableAt = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

/** One fresh Chromium context opening a pad: the timings and bytes of Scenario 6. */
async function openPadOnce(browser: Browser, url: string, conditions: typeof CONFERENCE_WIFI | null) {
  const context = await browser.newContext();
  try {
    await context.addInitScript(() => window.localStorage.setItem('gatherpad:user', JSON.stringify({ name: 'Bench', color: '#1c7ed6' })));
    await context.addInitScript(markEditable);
    const page = await context.newPage();
    if (conditions) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', conditions);
    }
    const started = performance.now();
    await page.goto(url);
    await page.locator('.ProseMirror[contenteditable="true"]').click();
    await page.keyboard.type('x');
    await page.locator('.ProseMirror', { hasText: 'x' }).waitFor();
    const typed = performance.now() - started;
    const inPage = await page.evaluate(() => ({
      editable: (window as unknown as { gatherpadEditableAt: number }).gatherpadEditableAt,
      bytes: [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce(
        (sum, entry) => sum + (entry as PerformanceResourceTiming).transferSize,
        0,
      ),
    }));
    return { typed, ...inPage };
  } finally {
    await context.close();
  }
}

/** Scenario 6: pad page JavaScript (gzip) and time until the editor takes input in Chromium. */
export async function client(runs = 5): Promise<string> {
  const { files, bytes } = padPageJsGzip();
  const server = await startBenchServer('gatherpad');
  const browser = await launchBrowser();
  const lines = [
    '### Scenario 6: client',
    '',
    `- pad page JavaScript: ${(bytes / 1024).toFixed(1)} KiB gzip (${files.length} files loaded up front; history and board load on demand)`,
    '',
    `Chromium, ${runs} fresh contexts (empty cache) per link; "typed" is navigation to a typed character shown, driven by Playwright; "editable" is measured in the page.`,
    '',
    '| link | bytes transferred | editable, median | typed, median | typed, max |',
    '|---|---|---|---|---|',
  ];
  const median = (values: number[]) => summarize(values).p50;
  try {
    for (const [label, conditions] of [
      ['loopback', null],
      ['10 Mbit/s, 40 ms (conference Wi-Fi)', CONFERENCE_WIFI],
    ] as const) {
      const opens = [];
      for (let r = 0; r < runs; r += 1)
        opens.push(await openPadOnce(browser, `http://127.0.0.1:${server.port}/p/bench-client-${r}`, conditions));
      const typed = summarize(opens.map((o) => o.typed));
      lines.push(
        `| ${label} | ${(median(opens.map((o) => o.bytes)) / 1024).toFixed(0)} KiB | ${ms(median(opens.map((o) => o.editable)))} | ${ms(typed.p50)} | ${ms(typed.max)} |`,
      );
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return lines.join('\n');
}
