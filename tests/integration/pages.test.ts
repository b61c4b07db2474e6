/**
 * The built pages and their assets as a browser gets them: pages always revalidated (they name
 * one build's hashed assets), assets cached for good and sent brotli or gzip compressed when
 * the browser accepts it, byte for byte the built file once decoded. A page address that cannot
 * be served gets an HTML page that says why (the API, the socket and assets keep JSON).
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

  it.each(['/', '/p/pages-test', '/e/pages-test', '/e/pages-test/recap'])(
    'serves %s to be revalidated, not cached for a year',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
    },
  );

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

  describe('addresses that lead nowhere', () => {
    const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

    it.each([
      ['/p/bad!name', 400, 'This pad name cannot be used', '&#34;bad!name&#34; is not a valid pad name.'],
      ['/p/%2e%2e', 400, 'This pad name cannot be used', 'is not a valid pad name.'],
      ['/nothing/here', 404, 'Page not found', 'There is nothing at /nothing/here.'],
      [`/r/r.${'a'.repeat(26)}`, 404, 'There is no pad here', 'This read-only link does not lead to a pad.'],
      ['/e/Bad Event!', 400, 'This address cannot be used', 'Event names use lowercase letters'],
    ])('answers %s with an HTML page (%i) that explains and links home', async (path, status, heading, detail) => {
      for (const headers of [HTML, {}]) {
        const res = await get(path.replace(/ /g, '%20'), headers);
        expect(res.status).toBe(status);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toContain(`<h1>${heading}</h1>`);
        expect(res.body).toContain(detail);
        expect(res.body).toContain('<a class="button button--primary" href="/">Go to the start page</a>');
        // The built page: the app's styles and theme.
        expect(res.body).toMatch(/<link rel="stylesheet"[^>]+href="\/assets\//);
      }
    });

    it('escapes what the address says, so it is text and never markup', async () => {
      const res = await get('/p/%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27', HTML);
      expect(res.status).toBe(400);
      expect(res.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;');
      expect(res.body).not.toContain('<script>alert');
      const query = await get('/nowhere?<img src=x onerror=alert(1)>'.replace(/[<> ]/g, encodeURIComponent), HTML);
      expect(query.status).toBe(404);
      expect(query.body).not.toMatch(/<img/i);
    });

    it('keeps JSON for the API, the socket path, assets, and for a caller that asks for JSON only', async () => {
      for (const [path, headers, status] of [
        ['/api/v1/pads/bad!name', HTML, 400],
        ['/api/v1/pads/some-pad/no-such-route', HTML, 404],
        ['/assets/no-such-file.js', HTML, 404],
        ['/ws', HTML, 404],
        ['/p/some-pad/export/docx', HTML, 404],
        ['/e/no-such-event/nova.ics', HTML, 404],
        ['/nothing/here', { accept: 'application/json' }, 404],
        ['/p/bad!name', { accept: 'application/json' }, 400],
      ] as const) {
        const res = await get(path, { ...headers });
        expect(res.status, path).toBe(status);
        expect(res.headers['content-type'], path).toContain('application/json');
        expect(JSON.parse(res.body), path).toMatchObject({ error: { code: expect.stringMatching(/^[a-z_]+$/) } });
      }
      // Etherpad's API answers in its own shape, also for a version it does not have.
      const etherpad = await get('/api/v1/no-such-function', HTML);
      expect(etherpad.status).toBe(404);
      expect(JSON.parse(etherpad.body)).toMatchObject({ code: 3, message: 'no such api version' });
    });
  });
});
