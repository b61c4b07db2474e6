/**
 * The writing half of bench/fan-out-cost.ts, run as its own process on CPU 0 (where the load
 * benches run the servers): accepts `sockets` loopback connections, then writes one frame of
 * `bytes` to every socket per burst, as a fan-out batch does (`socket.write` of one shared
 * buffer), and reports each burst's wall time and the process's CPU time, user and system.
 * Protocol: prints `port <n>` once listening; reads `burst <sockets> <bytes> <count> <gapMs>`
 * lines on stdin, answers each with one JSON line.
 */
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

const sockets: Socket[] = [];
const server = createServer((socket) => {
  socket.setNoDelay(true);
  sockets.push(socket);
  socket.on('error', () => {});
});

const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

async function bursts(count: number, bytes: number, times: number, gapMs: number) {
  const targets = sockets.slice(0, count);
  // The bytes do not matter to the kernel; the size is what a batch frame of that many edits is.
  const frame = Buffer.alloc(bytes, 7);
  const walls: number[] = [];
  let user = 0;
  let system = 0;
  for (let i = 0; i < times; i += 1) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const socket of targets) socket.write(frame);
    walls.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    user += used.user;
    system += used.system;
    await sleep(gapMs);
  }
  return { walls, userUs: user, systemUs: system, writes: times * targets.length };
}

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
});

for await (const line of createInterface({ input: process.stdin })) {
  const [command, count, bytes, times, gapMs] = line.trim().split(/\s+/);
  if (command !== 'burst') continue;
  if (sockets.length < Number(count)) {
    process.stdout.write(`${JSON.stringify({ error: `only ${sockets.length} sockets connected` })}\n`);
    continue;
  }
  process.stdout.write(`${JSON.stringify(await bursts(Number(count), Number(bytes), Number(times), Number(gapMs)))}\n`);
}
for (const socket of sockets) socket.destroy();
server.close();
