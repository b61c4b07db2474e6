/**
 * What one socket write costs on this machine, and so how many peers a batched fan-out can
 * reach per second on one core. A writer process on CPU 0 (bench/lib/burst-writer.ts, where the
 * load benches run the servers) writes a frame to each of thousands of loopback sockets in
 * bursts 50 ms apart, as a batched room's fan-out does; this process, on CPU 1, holds the
 * sockets and reads everything. Loopback delivers in the writer's system call, so its system
 * time includes the receiving side's TCP work, as it does for the servers in the load benches.
 * `npm run bench -- fan-out-cost` (BENCH_SOCKETS=1000,4000 and BENCH_BYTES=100,3000 to vary it).
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { machine, numbersFromEnv, summarize } from './lib/stats.js';

const BURSTS = 60;
const GAP_MS = 50;
/** Batches a second at the largest rooms (server/sync/fan-out.ts MAX_INTERVAL_MS = 50). */
const BATCHES_PER_SECOND = 20;

interface BurstReport {
  walls: number[];
  userUs: number;
  systemUs: number;
  writes: number;
  error?: string;
}

async function openSockets(port: number, count: number): Promise<{ sockets: Socket[]; received: () => number }> {
  let received = 0;
  const sockets: Socket[] = [];
  // A few hundred at a time: the listen backlog is finite.
  for (let opened = 0; opened < count; ) {
    const wave = Math.min(200, count - opened);
    await Promise.all(
      Array.from(
        { length: wave },
        () =>
          new Promise<void>((resolve, reject) => {
            const socket = connect(port, '127.0.0.1', () => resolve());
            socket.on('data', (chunk: Buffer) => (received += chunk.length));
            socket.once('error', reject);
            sockets.push(socket);
          }),
      ),
    );
    opened += wave;
  }
  return { sockets, received: () => received };
}

export async function run(): Promise<string> {
  const socketCounts = numbersFromEnv('BENCH_SOCKETS', [1000, 4000]);
  const sizes = numbersFromEnv('BENCH_BYTES', [100, 3000]);
  const writerPath = fileURLToPath(new URL('./lib/burst-writer.ts', import.meta.url));
  const writer = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', writerPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: writer.stdout! })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the writer process ended early');
    return value as string;
  };
  const opened: Socket[] = [];
  try {
    const port = Number((await nextLine()).split(' ')[1]);
    const { sockets, received } = await openSockets(port, Math.max(...socketCounts));
    opened.push(...sockets);
    const out = [
      '### Fan-out cost: one frame written to each of many loopback sockets',
      '',
      `${machine()}, ${new Date().toISOString().slice(0, 10)}, \`npm run bench -- fan-out-cost\` (${BURSTS} bursts ${GAP_MS} ms apart; writer on CPU 0, readers on CPU 1)`,
      '',
      '| sockets | frame | burst p50 / p95 | CPU per write (user + system) | writes a second on a full core | 20 batches a second to these sockets |',
      '|---|---|---|---|---|---|',
    ];
    for (const count of socketCounts) {
      for (const bytes of sizes) {
        const before = received();
        writer.stdin!.write(`burst ${count} ${bytes} ${BURSTS} ${GAP_MS}\n`);
        const report = JSON.parse(await nextLine()) as BurstReport;
        if (report.error) throw new Error(report.error);
        // Every byte written must arrive before the next case starts.
        const expected = before + report.writes * bytes;
        for (let waited = 0; received() < expected && waited < 10_000; waited += 10)
          await new Promise((resolve) => setTimeout(resolve, 10));
        if (received() < expected) throw new Error(`only ${received() - before} of ${report.writes * bytes} bytes arrived`);
        const walls = summarize(report.walls);
        const perWrite = (report.userUs + report.systemUs) / report.writes;
        const coreShare = (perWrite * count * BATCHES_PER_SECOND) / 1e6;
        out.push(
          `| ${count} | ${bytes} B | ${walls.p50.toFixed(1)} / ${walls.p95.toFixed(1)} ms | ${perWrite.toFixed(1)} us (${(report.userUs / report.writes).toFixed(1)} + ${(report.systemUs / report.writes).toFixed(1)}) | ${Math.round(1e6 / perWrite).toLocaleString('en')} | ${(coreShare * 100).toFixed(0)}% of a core |`,
        );
        process.stderr.write(`${out[out.length - 1]}\n`);
      }
    }
    return out.join('\n');
  } finally {
    for (const socket of opened) socket.destroy();
    writer.stdin!.end();
    writer.kill();
  }
}
