/**
 * `npm run migrate:etherpad` as a person runs it: the built CLI in its own process, against a
 * small local HTTP server that answers as an Etherpad does (recorded API responses, the sample
 * exports) and a real Gatherpad server. Renames and collisions, a corrupt pad reported and
 * retried, --event, the report, resuming after a kill -9, the concurrency limit, a wrong key.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/clients.js';
import { ADMIN_TOKEN, admin, api } from '../helpers/events.js';
import { rawRequest } from '../helpers/http.js';
import { startServer, type ChildServer } from '../helpers/server.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'etherpad');
const CLI = join(import.meta.dirname, '..', '..', 'dist', 'server', 'server', 'etherpad', 'migrate', 'migrate-cli.js');
const recorded = JSON.parse(readFileSync(join(FIXTURES, 'api-responses.json'), 'utf8')) as {
  listAllPads: unknown;
  wrongKey: unknown;
  exports: Record<string, string>;
};
const ETHERPAD_KEY = 'etherpad-api-key';

/** A stand-in Etherpad: the recorded answers, the sample exports, and a log of what was asked. */
class FakeEtherpad {
  server!: Server;
  url = '';
  downloads: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Exports of these names wait until released (to interrupt a run, or to see concurrency). */
  held = new Set<string>();
  private waiting: (() => void)[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
  }

  release(): void {
    this.held.clear();
    for (const go of this.waiting.splice(0)) go();
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/api/1.2.1/listAllPads') {
      return url.searchParams.get('apikey') === ETHERPAD_KEY ? json(200, recorded.listAllPads) : json(401, recorded.wrongKey);
    }
    const match = /^\/p\/([^/]+)\/export\/etherpad$/.exec(url.pathname);
    const name = match ? decodeURIComponent(match[1]) : null;
    const file = name === null ? undefined : recorded.exports[name];
    if (!file || name === null) return json(404, { code: 1, message: 'no such pad', data: null });
    this.downloads.push(name);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.held.has(name)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight -= 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(join(FIXTURES, file)));
  }

  close(): Promise<void> {
    this.release();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface Run {
  code: number | null;
  stderr: string;
}

describe('npm run migrate:etherpad', () => {
  let etherpad: FakeEtherpad;
  let gatherpad: ChildServer;
  let dir: string;
  const children: ReturnType<typeof spawn>[] = [];

  const start = (args: string[]) => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        '--from',
        etherpad.url,
        '--to',
        gatherpad.baseUrl,
        '--state',
        join(dir, 'state.json'),
        '--report',
        join(dir, 'report.json'),
        ...args,
      ],
      {
        env: { ...process.env, ADMIN_TOKEN },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<Run>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
    return { child, done, stderr: () => stderr };
  };
  const run = (args: string[]) => start(args).done;
  const report = () => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));

  beforeAll(async () => {
    etherpad = new FakeEtherpad();
    await etherpad.start();
    gatherpad = await startServer({ env: { ADMIN_TOKEN } });
    expect(
      (await admin(gatherpad.baseUrl, 'PUT', '/api/v1/events/ptg', { name: 'PTG', teams: [{ slug: 'nova', name: 'Nova' }] })).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await etherpad?.close();
    await gatherpad?.stop();
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    etherpad.release();
    etherpad.downloads = [];
    etherpad.maxInFlight = 0;
  });

  it('migrates every pad, renames and redirects, reports the corrupt one, attaches to the event', async () => {
    dir = mkdtempSync(join(tmpdir(), 'migrate-'));
    const result = await run(['--apikey', ETHERPAD_KEY, '--all', '--event', 'ptg']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/\[#{30}\] 5\/5 {2}imported 4, skipped 0, failed 1/);
    const r = report();
    expect(r.imported.map((o: any) => [o.name, o.padId, o.summary.revisions])).toEqual([
      ['Nova-PTG', expect.stringMatching(/^nova-ptg-[0-9a-f]{6}$/), 6],
      ['nova-2027.1-ptg', 'nova-2027.1-ptg', 4],
      ['nova-ptg', 'nova-ptg', 6],
      ['ptg-nova-cells', 'ptg-nova-cells', 6],
    ]);
    expect(r.imported[0].renamedFrom).toBe('Nova-PTG');
    expect(r.imported[3].team).toBe('nova');
    expect(r.failed).toEqual([
      {
        name: 'diseño-plan-EDU-twits',
        padId: 'diseno-plan-edu-twits',
        status: 'failed',
        renamedFrom: 'diseño-plan-EDU-twits',
        reason: expect.stringMatching(/^Revision 1395: its changeset does not apply/),
      },
    ]);

    const renamed = await rawRequest(gatherpad.baseUrl, '/p/Nova-PTG');
    expect(renamed.status).toBe(301);
    expect(renamed.headers.location).toBe(`/p/${r.imported[0].padId}`);
    const team = await api(gatherpad.baseUrl, 'GET', '/api/v1/events/ptg/teams/nova/pads');
    expect(team.body.pads.map((p: any) => [p.id, p.title])).toContainEqual(['ptg-nova-cells', 'ptg-nova-cells']);
    expect((await api(gatherpad.baseUrl, 'GET', '/api/v1/pads/nova-2027.1-ptg/revisions')).body.revisions).toHaveLength(4);
  });

  it('resumes: pads done before are skipped without downloading them, failures are tried again', async () => {
    const result = await run(['--apikey', ETHERPAD_KEY, '--all']);
    expect(result.code).toBe(1);
    const r = report();
    expect(r.skipped.map((o: any) => [o.name, o.reason])).toEqual([
      ['Nova-PTG', 'done in an earlier run'],
      ['nova-2027.1-ptg', 'done in an earlier run'],
      ['nova-ptg', 'done in an earlier run'],
      ['ptg-nova-cells', 'done in an earlier run'],
    ]);
    expect(etherpad.downloads).toEqual(['diseño-plan-EDU-twits']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('picks up after a kill -9 where it stopped, and skips pads that already have content here', async () => {
    dir = mkdtempSync(join(tmpdir(), 'migrate-'));
    // Pads of the first run are here already: without a state file they are skipped as having content.
    etherpad.held.add('nova-ptg');
    const first = start(['--apikey', ETHERPAD_KEY, '--pads', 'nova-2027.1-ptg,nova-ptg', '--concurrency', '1']);
    await waitUntil(
      () =>
        existsSync(join(dir, 'state.json')) &&
        readFileSync(join(dir, 'state.json'), 'utf8').includes('nova-2027.1-ptg') &&
        etherpad.inFlight === 1,
      'the first pad done, the second held',
    );
    first.child.kill('SIGKILL');
    await first.done;
    etherpad.release();
    const second = await run(['--apikey', ETHERPAD_KEY, '--pads', 'nova-2027.1-ptg,nova-ptg', '--concurrency', '1']);
    expect(second.code, second.stderr).toBe(0);
    const r = report();
    expect(r.skipped.map((o: any) => [o.name, o.reason])).toEqual([
      ['nova-2027.1-ptg', 'done in an earlier run'],
      ['nova-ptg', 'the pad already has content here'],
    ]);
    expect(etherpad.downloads.filter((n) => n === 'nova-2027.1-ptg')).toHaveLength(1);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps to the concurrency limit', async () => {
    dir = mkdtempSync(join(tmpdir(), 'migrate-'));
    for (const name of Object.keys(recorded.exports)) etherpad.held.add(name);
    const running = start(['--apikey', ETHERPAD_KEY, '--all', '--concurrency', '2']);
    await waitUntil(() => etherpad.inFlight === 2, 'two exports in flight');
    // Held until released: no third request may start meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(etherpad.maxInFlight).toBe(2);
    etherpad.release();
    const result = await running.done;
    expect(etherpad.maxInFlight).toBe(2);
    expect(result.code).toBe(1);
    expect(report().skipped).toHaveLength(4);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with a clear message on a wrong Etherpad key or bad arguments', async () => {
    dir = mkdtempSync(join(tmpdir(), 'migrate-'));
    const wrong = await run(['--apikey', 'nope', '--all']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('listAllPads: HTTP 401');
    const neither = await run(['--apikey', ETHERPAD_KEY]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('Give either --all or --pads.');
    rmSync(dir, { recursive: true, force: true });
  });
});
