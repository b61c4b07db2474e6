/**
 * Starts each server under test as a child process pinned to CPU 0 (the generator runs on
 * CPU 1), on a loopback port with a fresh data folder, and reads its CPU time and RSS from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerKind } from './wire.js';

const root = join(import.meta.dirname, '..', '..');

export interface RunningServer {
  kind: ServerKind;
  port: number;
  pid: number;
  dataDir: string;
  /** CPU seconds used so far (user + system). */
  cpuSeconds(): number;
  rssBytes(): number;
  stop(): Promise<void>;
}

/**
 * BENCH_GATHERPAD_ROOT=<checkout> runs that checkout's build instead of this one's: the same
 * scenario against an older commit gives the "before" figure.
 */
const gatherpadRoot = process.env.BENCH_GATHERPAD_ROOT ?? root;

const COMMANDS: Record<ServerKind, string[]> = {
  // As `npm start` runs it (package.json).
  gatherpad: ['node', '--max-semi-space-size=32', join(gatherpadRoot, 'dist/server/server/main.js')],
  'y-websocket': ['node', '--import', 'tsx', join(root, 'bench/peers/y-websocket-server.ts')],
  hocuspocus: ['node', '--import', 'tsx', join(root, 'bench/peers/hocuspocus-server.ts')],
};

/** A port free right now, from the OS (fixed ports clashed with other benches on a shared machine). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startBenchServer(kind: ServerKind, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), `gp-bench-${kind}-`));
  // BENCH_PROFILE_DIR=/tmp/prof writes a CPU profile of each server when it stops.
  const [node, ...args] = COMMANDS[kind];
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child: ChildProcess = spawn('taskset', ['-c', '0', node, ...profile, ...args], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MAX_CONNECTIONS_PER_IP: '100000',
      // The ramps go past the server's capacity on purpose: shedding new connections there (as
      // production does) would end the ramp with refused clients instead of a latency figure.
      // bench/overload.ts measures shedding with its own setting.
      OVERLOAD_LAG_MS: '0',
      ...env,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        // A slow start on a busy machine would leave the server running on its own.
        child.kill('SIGKILL');
        throw new Error(`${kind} did not start`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const pid = child.pid!;
  // Linux reports CPU time in clock ticks of 1/100 s (USER_HZ).
  const ticks = 100;
  return {
    kind,
    port,
    pid,
    dataDir,
    cpuSeconds() {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return (Number(fields[11]) + Number(fields[12])) / ticks;
      } catch {
        return Number.NaN;
      }
    },
    rssBytes() {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match ? Number(match[1]) * 1024 : Number.NaN;
      } catch {
        return Number.NaN;
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
