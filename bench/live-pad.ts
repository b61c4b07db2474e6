/**
 * Live pad figures: cold start of `npm start`, commit-to-ack latency with 50
 * concurrent writers, and the pad page's JavaScript size (gzip).
 *
 *   npm run bench -- live-pad
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../tests/helpers/server.js';
import { runAckWriters } from './lib/ack-writers.js';
import { padPageJsGzip } from './lib/client-size.js';
import { ms, summarize } from './lib/stats.js';

const root = join(import.meta.dirname, '..');

async function coldStart(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const dataDir = mkdtempSync(join(tmpdir(), 'gp-bench-start-'));
    const port = 18_500 + i;
    const started = performance.now();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
      detached: true,
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('server did not start in 20 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    times.push(performance.now() - started);
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
  return times;
}

/** `writers` sockets on one pad, each sending a 4-character edit every `intervalMs`. */
async function ackLatency(
  writers: number,
  seconds: number,
  intervalMs: number,
): Promise<{ latencies: number[]; sent: number; acked: number }> {
  const server = await startServer();
  try {
    const { latencies, sent } = await runAckWriters(`${server.wsUrl}/bench-acks`, writers, seconds, intervalMs);
    return { latencies, sent, acked: latencies.length };
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<string> {
  const starts = summarize(await coldStart(5));
  const acks = await ackLatency(50, 10, 100);
  const lat = summarize(acks.latencies);
  const js = padPageJsGzip();
  const lines = [
    `- Cold start of \`npm start\` until /healthz answers (5 runs): median ${ms(starts.p50)}, max ${ms(starts.max)}`,
    `- Commit-to-ack latency, 50 writers each sending a 4-character edit every 100 ms for 10 s (${acks.sent} edits, ${acks.acked} acknowledged, SQLite WAL synchronous=FULL): p50 ${ms(lat.p50)}, p95 ${ms(lat.p95)}, p99 ${ms(lat.p99)}, max ${ms(lat.max)}`,
    `- Pad page JavaScript: ${(js.bytes / 1024).toFixed(1)} KiB gzip (${js.files.length} files)`,
  ];
  return lines.join('\n');
}
