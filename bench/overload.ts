/**
 * Overload (issue 23 item 8): the many-pads load (3 authors a pad, 4 characters every 400 ms)
 * opened at BENCH_PADS pads (3,000 by default: twice the 1,500 the server sustains in
 * docs/benchmarks.md), 100 pads a second, then held for BENCH_HOLD_S (30 s). Run once with load
 * shedding off (OVERLOAD_LAG_MS=0, as before it existed) and once with the default. Reported:
 * the connections open at the end, the ones refused, the server's peak RSS, and `/healthz`
 * latency (polled from a process of its own) over the hold. The server runs pinned to CPU 0.
 * `npm run bench -- overload` (BENCH_OVERLOAD_LAGS=0,500 to choose the runs).
 */
import { newStats, SentLog } from './load/load-clients.js';
import { RawAuthor } from './load/raw-author.js';
import { startBenchServer } from './load/servers.js';
import { WIRES } from './load/wire.js';
import { probeHealthApart } from './lib/health-prober.js';
import { machine } from './lib/stats.js';

interface Outcome {
  lagMs: number;
  open: number;
  shed: number;
  failedOpens: number;
  peakRssMb: number;
  worstHealthMs: number;
  checks: number;
}

async function metric(port: number, name: string): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

async function overload(lagMs: number, pads: number, holdSeconds: number): Promise<Outcome> {
  const server = await startBenchServer('gatherpad', { OVERLOAD_LAG_MS: String(lagMs) });
  const stats = newStats();
  const log = new SentLog();
  const authors: RawAuthor[] = [];
  let failedOpens = 0;
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, server.rssBytes())), 250);
  try {
    const health = await probeHealthApart(`http://127.0.0.1:${server.port}`);
    const opening: Promise<void>[] = [];
    for (let pad = 0; pad < pads; pad += 1) {
      for (let a = 0; a < 3; a += 1) {
        const author = new RawAuthor(WIRES.gatherpad, server.port, `overload-${pad}`, stats, log, null);
        authors.push(author);
        opening.push(
          author.connect().then(
            () => author.startTyping(400),
            () => void (failedOpens += 1),
          ),
        );
      }
      if (pad % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(opening);
    await new Promise((resolve) => setTimeout(resolve, holdSeconds * 1000));
    const { worstMs, checks } = await health.stop();
    return {
      lagMs,
      open: await metric(server.port, 'gatherpad_connections'),
      shed: await metric(server.port, 'gatherpad_connections_shed_total'),
      failedOpens,
      peakRssMb: peakRss / 1e6,
      worstHealthMs: worstMs,
      checks,
    };
  } finally {
    clearInterval(rssTimer);
    for (const author of authors) author.close();
    await server.stop();
  }
}

export async function run(): Promise<string> {
  const pads = Number(process.env.BENCH_PADS ?? 3000);
  const hold = Number(process.env.BENCH_HOLD_S ?? 30);
  const rows: Outcome[] = [];
  // 0 is a value here (no shedding), which numbersFromEnv drops.
  for (const lag of (process.env.BENCH_OVERLOAD_LAGS ?? '0,500').split(',').map(Number)) {
    rows.push(await overload(lag, pads, hold));
  }
  return [
    `Overload: ${pads.toLocaleString('en')} pads x 3 authors (4 characters every 400 ms) opened at 100 pads a second, held ${hold} s (${machine()})`,
    '',
    '| OVERLOAD_LAG_MS | connections open at the end | refused (1013) | failed opens | peak RSS | worst /healthz | checks |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.lagMs === 0 ? '0 (no shedding)' : r.lagMs} | ${r.open} | ${r.shed} | ${r.failedOpens} | ${r.peakRssMb.toFixed(0)} MB | ${r.worstHealthMs.toFixed(0)} ms | ${r.checks} |`,
    ),
  ].join('\n');
}
