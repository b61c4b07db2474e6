/**
 * Live pad figures (issue 2): cold start of `npm start`, commit-to-ack latency with 50
 * concurrent writers, and the pad page's JavaScript size (gzip).
 *
 *   npm run bench -- live-pad
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType, readSaved } from '../common/protocol.js';
import { updateFrameOf } from '../tests/helpers/clients.js';
import { startServer } from '../tests/helpers/server.js';
import { padPageJsGzip } from './lib/client-size.js';
import { ms, summarize } from './lib/stats.js';

const root = join(import.meta.dirname, '..');

async function coldStart(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const dataDir = mkdtempSync(join(tmpdir(), 'gp-bench-start-'));
    const port = 18_500 + i;
    const started = performance.now();
    const child = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: 'ignore', detached: true });
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
async function ackLatency(writers: number, seconds: number, intervalMs: number): Promise<{ latencies: number[]; sent: number; acked: number }> {
  const server = await startServer();
  const latencies: number[] = [];
  let sent = 0;
  let acked = 0;
  const sockets: WebSocket[] = [];
  try {
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const ws = new WebSocket(`${server.wsUrl}/bench-acks?ack=1`);
        sockets.push(ws);
        await new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        });
        const doc = new Y.Doc();
        doc.clientID = 10_000 + w;
        const sentAt: number[] = [];
        let ackedCount = 0;
        ws.on('message', (data: Buffer) => {
          if (data[0] !== MessageType.saved) return;
          const decoder = decoding.createDecoder(new Uint8Array(data));
          decoding.readVarUint(decoder);
          const n = readSaved(decoder);
          const now = performance.now();
          for (; ackedCount < n; ackedCount += 1) latencies.push(now - sentAt[ackedCount]);
          acked = Math.max(acked, 0) + 0;
        });
        const text = doc.getText('t');
        const deadline = performance.now() + seconds * 1000;
        // Spread the writers over the interval so they do not fire in lockstep.
        await new Promise((resolve) => setTimeout(resolve, (w / writers) * intervalMs));
        while (performance.now() < deadline) {
          let update: Uint8Array | null = null;
          const capture = (u: Uint8Array) => (update = u);
          doc.once('update', capture);
          text.insert(Math.floor(Math.random() * (text.length + 1)), 'abcd');
          sentAt.push(performance.now());
          ws.send(updateFrameOf(update!));
          sent += 1;
          await new Promise((resolve) => setTimeout(resolve, intervalMs));
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    acked = latencies.length;
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  }
  return { latencies, sent, acked };
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
