/**
 * PostgreSQL and Redis for tests.
 *
 * - Shared servers come from `TEST_DATABASE_URL` / `TEST_REDIS_URL` (`.ci/run` starts them).
 *   `sharedServices()` returns null when they are not set, so suites skip on a laptop; with
 *   `CI=true` it throws instead: nothing may be skipped in CI.
 * - `freshDatabase()` makes an empty database on the shared server for one suite.
 * - `startPostgres()` / `startRedis()` run dedicated throwaway servers on free loopback ports,
 *   which a test may stop and start (failure tests). PostgreSQL runs as the `postgres` user
 *   when the tests run as root (CI), from `TEST_PG_BIN` or the newest /usr/lib/postgresql/<v>/bin.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const inCi = () => process.env.CI === 'true';

/** The shared servers, null (skip) outside CI when unset; throws in CI when unset. */
export function sharedServices(): { databaseUrl: string; redisUrl: string } | null {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (databaseUrl && redisUrl) return { databaseUrl, redisUrl };
  if (inCi())
    throw new Error('CI=true but TEST_DATABASE_URL / TEST_REDIS_URL are not set: .ci/run starts PostgreSQL and Redis and sets them');
  return null;
}

/** Where initdb and pg_ctl are, or null (then: throws in CI). */
export function postgresBinDir(): string | null {
  const candidates = process.env.TEST_PG_BIN
    ? [process.env.TEST_PG_BIN]
    : existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : [];
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (found) return found;
  if (inCi()) throw new Error('CI=true but PostgreSQL binaries (initdb, pg_ctl) were not found: install postgresql or set TEST_PG_BIN');
  return null;
}

export function redisServerPath(): string | null {
  const path = process.env.TEST_REDIS_SERVER ?? '/usr/bin/redis-server';
  if (existsSync(path)) return path;
  if (inCi()) throw new Error(`CI=true but ${path} was not found: install redis-server or set TEST_REDIS_SERVER`);
  return null;
}

/** True when the machine can run dedicated PostgreSQL and Redis servers (throws in CI when not). */
export function canRunServices(): boolean {
  return postgresBinDir() !== null && redisServerPath() !== null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** An empty database on the server at `serverUrl`, dropped by `drop()`. */
export async function freshDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `gp_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface ServiceInstance {
  url: string;
  port: number;
  /** Stops the server (fast shutdown); its data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

function asPostgresUser(): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
}

function run(command: string[], what: string): void {
  try {
    execFileSync(command[0], command.slice(1), { stdio: 'pipe', timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`${what} failed: ${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`);
  }
}

/** A throwaway PostgreSQL cluster in a temp folder, trust auth on 127.0.0.1, database `gatherpad`. */
export async function startPostgres(): Promise<ServiceInstance> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found');
  const dir = mkdtempSync(join(tmpdir(), 'gatherpad-pg-'));
  const dataDir = join(dir, 'data');
  const prefix = asPostgresUser();
  if (prefix.length > 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  run([...prefix, join(bin, 'initdb'), '-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], 'initdb');
  const port = await freePort();
  const pgCtl = (...args: string[]) => run([...prefix, join(bin, 'pg_ctl'), '-D', dataDir, ...args], `pg_ctl ${args[0]}`);
  const start = async () =>
    pgCtl(
      'start',
      '-w',
      '-t',
      '30',
      '-l',
      join(dataDir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    );
  await start();
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE gatherpad');
  await admin.end();
  let running = true;
  return {
    url: `${base}/gatherpad`,
    port,
    async stop() {
      if (!running) return;
      pgCtl('stop', '-w', '-m', 'fast');
      running = false;
    },
    async start() {
      if (running) return;
      await start();
      running = true;
    },
    async destroy() {
      if (running) pgCtl('stop', '-w', '-m', 'immediate');
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway Redis (no persistence) on a free loopback port, as a child process. */
export async function startRedis(): Promise<ServiceInstance> {
  const server = redisServerPath();
  if (!server) throw new Error('redis-server not found');
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const proc = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 15_000);
      proc.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start: async () => (child ? undefined : start()), destroy: stop };
}
