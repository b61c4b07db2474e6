/**
 * Storage state on a real full disk (a small tmpfs the test fills and frees): /healthz says
 * 503 with the reason while nothing can be stored and 200 once space is back; an import that
 * cannot be stored answers 503, not 500. And the SQLite file gives freed pages back, so disk
 * use follows the data.
 */
import { statSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../server/store/sqlite-store.js';
import { openRaw, textUpdate, updateFrameOf, waitUntil } from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';

const mounted = mountSmallDisk(24 * 1024 * 1024);
const skipReason = mounted.ok ? '' : ` (skipped: ${mounted.reason})`;
const disk = mounted.ok ? mounted.disk : (null as unknown as SmallDisk);
afterAll(() => disk?.unmount());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverOnSmallDisk(): Promise<InProcessServer> {
  const server = await startInProcess({ DATA_DIR: disk.dir });
  cleanups.push(() => server.close());
  cleanups.push(() => disk.free());
  return server;
}

async function health(server: InProcessServer): Promise<{
  status: number;
  body: { status?: string; error?: { code: string; message: string }; storage: { ok: boolean; reason?: string } };
}> {
  const res = await fetch(`${server.baseUrl}/healthz`);
  return { status: res.status, body: await res.json() };
}

describe('storage state', () => {
  it.skipIf(!mounted.ok)(`/healthz answers 503 with the reason while the disk is full, 200 once space is back${skipReason}`, async () => {
    const server = await serverOnSmallDisk();
    expect(await health(server)).toMatchObject({ status: 200, body: { status: 'ok', storage: { ok: true } } });
    disk.fill();
    const full = await health(server);
    expect(full.status).toBe(503);
    expect(full.body.error?.code).toBe('storage_unavailable');
    expect(full.body.storage.reason).toMatch(/disk is full/);
    disk.free();
    expect(await health(server)).toMatchObject({ status: 200, body: { storage: { ok: true } } });
  });

  it.skipIf(!mounted.ok)(
    `an import on a full disk answers 503, not 500, and storage recovers once space is back${skipReason}`,
    async () => {
      const server = await serverOnSmallDisk();
      const put = (body: string) =>
        fetch(`${server.baseUrl}/api/v1/pads/full-import/content`, { method: 'PUT', headers: { 'content-type': 'text/markdown' }, body });
      expect((await put('# Before\n\nstored')).status).toBe(201);
      disk.fill();
      // Bigger than whatever room the WAL has left to reuse.
      const large = Array.from({ length: 4000 }, (_, i) => `- item ${i} ${'words '.repeat(20)}`).join('\n');
      const res = await put(large);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect((await res.json()).error.code).toBe('storage_unavailable');
      disk.free();
      expect((await health(server)).status).toBe(200);
      expect((await put(large)).status).toBe(200);
      const md = await (await fetch(`${server.baseUrl}/api/v1/pads/full-import/export.md`)).text();
      expect(md).toContain('item 3999');
    },
  );
});

describe('free pages', () => {
  it('gives the space of a deleted large pad back to the filesystem', async () => {
    const server = await startInProcess({ MAX_PAD_BYTES: String(64 * 1024 * 1024), UNLOAD_DELAY_MS: '50' });
    cleanups.push(() => server.close());
    const store = server.app.store as SqliteStore;
    const raw = await openRaw(`${server.wsUrl}/big-pad`);
    for (let i = 0; i < 6; i += 1) raw.ws.send(updateFrameOf(textUpdate('x'.repeat(1024 * 1024), 500 + i)));
    await waitUntil(() => (server.app.rooms.peek('big-pad')?.progress.lastSeq ?? 0) === 6, 'six 1 MiB updates stored', 20_000);
    raw.ws.close();
    await waitUntil(() => server.app.rooms.peek('big-pad') === undefined, 'unloaded');
    expect(await server.app.stores.events.deletePad('big-pad')).toBe(true);
    const fileBytes = () => statSync(store.path).size;
    // Six MiB of log rows, a six MiB snapshot and the journal pages they passed through are free now.
    await waitUntil(() => fileBytes() < 2 * 1024 * 1024, `the file shrinks (now ${fileBytes()} bytes)`, 20_000);
    const { free, pageSize } = store.freePages.pages();
    expect(free * pageSize).toBeLessThan(1024 * 1024);
  });
});
