/**
 * Etherpad import benchmark (`npm run bench -- etherpad-import`): the larger sample export's
 * valid history (broken.etherpad through revision 1394: 1,395 revisions, 557 kB of JSON)
 * imported over HTTP into fresh pads of an in-process server on SQLite, `ETHERPAD_RUNS` times
 * (default 5). Reports the time per import, what came across, the longest event-loop stall
 * while importing (the replay yields every 10 ms), the process's CPU time per import (less
 * sensitive than wall time to a machine busy with other work), and the .etherpad export of the result.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatherpad } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { machine, ms, numbersFromEnv, summarize, watchLoopStalls } from './lib/stats.js';

const ADMIN = 'bench-admin-token';
const FILE = join(import.meta.dirname, '..', 'tests', 'fixtures', 'etherpad', 'broken.etherpad');

export async function run(): Promise<string> {
  const [runs] = numbersFromEnv('ETHERPAD_RUNS', [5]);
  const body = readFileSync(FILE, 'utf8');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-etherpad-'));
  const app = await createGatherpad(
    loadConfig([], { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN }),
  );
  const base = await app.listen();
  const times: number[] = [];
  /** CPU time of this process (server and client) per import: less sensitive to a busy machine than wall time. */
  const cpu: number[] = [];
  const stalls: number[] = [];
  const exports: number[] = [];
  let summary: Record<string, unknown> = {};
  try {
    for (let i = 0; i < runs; i += 1) {
      const stall = watchLoopStalls();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/pads/bench-${i}/import/etherpad?throughRevision=1394`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body,
      });
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000);
      stalls.push(stall.stop());
      summary = (await res.json()) as Record<string, unknown>;
      if (res.status !== 201) throw new Error(`import answered ${res.status}: ${JSON.stringify(summary)}`);
      const exportStarted = performance.now();
      const exported = await fetch(`${base}/api/v1/pads/bench-${i}/export.etherpad`);
      await exported.arrayBuffer();
      exports.push(performance.now() - exportStarted);
    }
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const t = summarize(times);
  const e = summarize(exports);
  return [
    `### Etherpad import (${machine()}, load average ${loadavg()[0].toFixed(1)} at the end)`,
    '',
    `broken.etherpad through revision 1394 over HTTP, ${runs} imports into fresh pads (SQLite):`,
    `- import: median ${ms(t.p50)}, max ${ms(t.max)} (CPU time: median ${ms(summarize(cpu).p50)}); longest event-loop stall during an import ${ms(Math.max(...stalls))}`,
    `- came across: ${summary.revisions} revisions, ${summary.authors} authors, ${summary.chatMessages} chat messages, ${summary.savedRevisions} saved revision(s), dropped attributes ${JSON.stringify(summary.droppedAttributes)}`,
    `- .etherpad export of the imported pad: median ${ms(e.p50)}, max ${ms(e.max)}`,
  ].join('\n');
}
