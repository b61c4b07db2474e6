/**
 * The cost of the Redis hop: two Gatherpad processes (A, B) on one throwaway PostgreSQL and
 * Redis. A writer on A makes single-character edits one at a time; an observer on A and one on
 * B record when each edit arrives. Reports the delivery latency to the same process and to the
 * other process (p50/p99), then the CPU time per update on A (commit + publish) and on B
 * (receive + apply + fan-out) over a burst.
 *
 *   node --import tsx bench/cluster.ts [edits=300] [burst=2000]
 * Needs the built server (`npm run build:server`), PostgreSQL binaries and redis-server.
 */
import { readFileSync } from 'node:fs';
import { connectProvider, synced, type ProviderClient } from '../tests/helpers/clients.js';
import { notesText } from '../tests/helpers/notes-text.js';
import { startServer, type ChildServer } from '../tests/helpers/server.js';
import { startPostgres, startRedis } from '../tests/helpers/services.js';
import { ms, summarize } from './lib/stats.js';

const EDITS = Number(process.argv[2] ?? 300);
const BURST = Number(process.argv[3] ?? 2000);
const TICK_MS = 1000 / 100; // USER_HZ, 100 on Linux

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
}

function arrival(client: ProviderClient, length: number): Promise<number> {
  const text = notesText(client.doc);
  if (text.length >= length) return Promise.resolve(performance.now());
  return new Promise((resolve) => {
    const check = () => {
      if (text.length >= length) {
        text.unobserve(check);
        resolve(performance.now());
      }
    };
    text.observe(check);
  });
}

async function main(): Promise<void> {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const nodes: ChildServer[] = [];
  const clients: ProviderClient[] = [];
  try {
    const env = {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      MAX_UPDATES_PER_SECOND: '100000',
      MAX_BYTES_PER_SECOND: '100000000',
    };
    nodes.push(await startServer({ env }));
    nodes.push(await startServer({ env }));
    const [a, b] = nodes;
    const writer = connectProvider(a.wsUrl, 'bench-cluster');
    const sameNode = connectProvider(a.wsUrl, 'bench-cluster');
    const otherNode = connectProvider(b.wsUrl, 'bench-cluster');
    clients.push(writer, sameNode, otherNode);
    await Promise.all(clients.map(synced));

    const same: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < EDITS; i += 1) {
      const text = notesText(writer.doc);
      const length = text.length + 1;
      const started = performance.now();
      const arrivals = Promise.all([arrival(sameNode, length), arrival(otherNode, length)]);
      text.insert(text.length, 'x');
      const [atSame, atOther] = await arrivals;
      same.push(atSame - started);
      other.push(atOther - started);
    }
    const s = summarize(same);
    const o = summarize(other);
    const added = summarize(other.map((value, i) => value - same[i]));

    const before = { a: cpuMs(a.process.pid!), b: cpuMs(b.process.pid!) };
    const target = notesText(writer.doc).length + BURST;
    const started = performance.now();
    const done = arrival(otherNode, target);
    for (let i = 0; i < BURST; i += 1) {
      notesText(writer.doc).insert(0, 'y');
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    const seconds = (performance.now() - started) / 1000;
    const after = { a: cpuMs(a.process.pid!), b: cpuMs(b.process.pid!) };

    console.log(`Delivery latency, ${EDITS} single-character edits one at a time (writer on A):`);
    console.log(`- observer on A (same process): p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`);
    console.log(`- observer on B (through Redis): p50 ${ms(o.p50)}, p99 ${ms(o.p99)}, max ${ms(o.max)}`);
    console.log(`- added by the hop (B minus A, per edit): p50 ${ms(added.p50)}, p99 ${ms(added.p99)}`);
    console.log(`Burst of ${BURST} edits (${(BURST / seconds).toFixed(0)} edits/s end to end):`);
    console.log(`- CPU on A (commit + publish + fan-out): ${((after.a - before.a) / BURST).toFixed(3)} ms per edit`);
    console.log(`- CPU on B (receive + apply + fan-out): ${((after.b - before.b) / BURST).toFixed(3)} ms per edit`);
  } finally {
    for (const c of clients) c.destroy();
    await Promise.all(nodes.map((node) => node.kill()));
    await Promise.all([pg.destroy(), redis.destroy()]);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
