/**
 * The built pages and their assets as a browser gets them: pages always revalidated (they name
 * one build's hashed assets), assets cached for good and sent brotli or gzip compressed when
 * the browser accepts it, byte for byte the built file once decoded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/http.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

const CLIENT_DIR = join(import.meta.dirname, '..', '..', 'dist', 'client');

describe('pages and assets', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcess();
  });
  afterAll(async () => {
    await server.close();
  });

  /** A GET with exactly these headers (fetch would add and undo compression itself). */
  const get = (path: string, headers: Record<string, string> = {}) => rawRequest(server.baseUrl, path, { headers });

  const padPageScripts = () =>
    Array.from(readFileSync(join(CLIENT_DIR, 'pad.html'), 'utf8').matchAll(/src="(\/assets\/[^"]+\.js)"/g), (m) => m[1]);

  it.each(['/', '/p/pages-test', '/e/pages-test', '/e/pages-test/recap'])('serves %s to be revalidated, not cached for a year', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves the recap page at its canonical, lowercase address, and 400 for a bad event name', async () => {
    expect((await get('/e/pages-test/recap')).body).toContain('Copy as markdown');
    const moved = await get('/e/Pages-Test/recap?by=session');
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/e/pages-test/recap?by=session');
    expect((await get('/e/bad%20name/recap')).status).toBe(400);
  });

  it('sends the pad page scripts brotli or gzip compressed, as accepted, and whole when not', async () => {
    const scripts = padPageScripts();
    expect(scripts.length).toBeGreaterThan(0);
    for (const path of scripts) {
      const built = readFileSync(join(CLIENT_DIR, path));

      const br = await get(path, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.status).toBe(200);
      expect(br.headers['cache-control']).toContain('immutable');
      if (built.length < 1024) continue; // too small to be worth a compressed copy
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['vary']).toMatch(/accept-encoding/i);
      expect(br.bytes.length).toBeLessThan(built.length / 2);
      expect(brotliDecompressSync(br.bytes).equals(built)).toBe(true);

      const gzip = await get(path, { 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.bytes).equals(built)).toBe(true);

      const plain = await get(path);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.bytes.equals(built)).toBe(true);
      expect(plain.headers['vary']).toMatch(/accept-encoding/i);
    }
  });

  it('keeps the favicon (not content-hashed) for a day, not a year', async () => {
    const res = await get('/favicon.svg');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
  });
});
