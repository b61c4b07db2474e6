/**
 * Real Gatherpad servers for tests, on a free loopback port with a fresh data folder.
 * `startServer` runs the built server (`dist/`, made by `npm test`'s pretest build) as a child
 * process, so a test can kill -9 it; `startInProcess` runs it inside the test process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatherpad, type Gatherpad } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';

const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'server', 'server', 'main.js');

export interface ChildServer {
  baseUrl: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed, for assertions and failure messages. */
  output(): string;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9) and wait for the process to be gone. */
  kill(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'gatherpad-test-'));
}

export async function startServer(opts: { dataDir?: string; env?: Record<string, string>; port?: number } = {}): Promise<ChildServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(opts.port ?? 0),
      DATA_DIR: dataDir,
      // Shedding goes by the event loop's lag, which on a busy test machine is the machine's
      // load: only tests of shedding turn it on (tests/integration/overload.test.ts).
      OVERLOAD_LAG_MS: '0',
      ...opts.env,
      // The ready line (with the URL) is logged at info level.
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const onData = () => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${output}`));
    });
  });
  const port = Number(new URL(baseUrl).port);
  return {
    baseUrl,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    port,
    dataDir,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface InProcessServer {
  app: Gatherpad;
  config: Config;
  baseUrl: string;
  wsUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

/** A server in this process. `env` takes the same variables as `npm start`. */
export async function startInProcess(env: Record<string, string> = {}): Promise<InProcessServer> {
  const dataDir = env.DATA_DIR ?? tempDataDir();
  // No load shedding unless asked for (see startServer).
  const config = loadConfig([], { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir, OVERLOAD_LAG_MS: '0', ...env });
  const app = await createGatherpad(config);
  const baseUrl = await app.listen();
  return {
    app,
    config,
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, 'ws') + '/ws',
    dataDir,
    async close() {
      await app.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
