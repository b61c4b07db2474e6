/**
 * Markdown routes on a real server: import replaces content as one revision (seen live by a
 * stock y-websocket client), exports with safe headers, size and type errors, an XSS corpus
 * through import and HTML export, hostile markdown bounded in time. Recaps: recaps.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';
import { connectProvider, synced, waitUntil } from '../helpers/clients.js';

let server: InProcessServer;
let base: string;

async function put(padId: string, body: string, type = 'text/markdown; charset=utf-8', headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api/v1/pads/${padId}/content`, { method: 'PUT', headers: { 'content-type': type, ...headers }, body });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

async function get(path: string) {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, text: await res.text(), headers: res.headers };
}

beforeAll(async () => {
  server = await startInProcess({ ADMIN_TOKEN, UNLOAD_DELAY_MS: '200', MAX_IMPORT_BYTES: String(64 * 1024) });
  base = server.baseUrl;
});
afterAll(async () => {
  await server?.close();
});

describe('import and export', () => {
  it('PUT creates a pad from markdown and GET exports the same markdown', async () => {
    const source = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'markdown', '02-cinder-actions.md'), 'utf8');
    const created = await put('md-one', source);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'md-one', created: true, changed: true });
    const md = await get('/api/v1/pads/md-one/export.md');
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.headers.get('x-content-type-options')).toBe('nosniff');
    expect(md.headers.get('content-disposition')).toBeNull();
    expect(md.text).toContain('- [ ] Write the backup encryption spec @rosmaita\n');
    // Importing the export changes nothing: a fixed point.
    const again = await put('MD-One', md.text);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: 'md-one', created: false, changed: false });
    expect((await get('/api/v1/pads/md-one/export.md')).text).toBe(md.text);
  });

  it('replaces the content as one revision that live clients receive, attributed to the author cookie', async () => {
    await put('md-live', '# First\n\nold text\n');
    const client = connectProvider(server.wsUrl, 'md-live');
    const doc = client.doc;
    try {
      await synced(client);
      await waitUntil(() => doc.getXmlFragment('default').toString().includes('old text'), 'old text');
      const before = await server.app.store.getPad('md-live');
      const author = `a.${'x'.repeat(22)}`;
      const res = await put('md-live', '# Second\n\n- [x] new text\n', 'text/markdown', { cookie: `gp_author=${author}` });
      expect(res.status).toBe(200);
      const after = await server.app.store.getPad('md-live');
      expect(after!.lastSeq).toBe(before!.lastSeq + 1);
      const row = server.app.db!.prepare('SELECT author FROM updates WHERE pad_id = ? ORDER BY seq DESC LIMIT 1').get('md-live') as {
        author: string;
      };
      expect(row.author).toBe(author);
      await waitUntil(() => doc.getXmlFragment('default').toString().includes('new text'), 'new text');
      expect(doc.getXmlFragment('default').toString()).not.toContain('old text');
    } finally {
      client.destroy();
    }
  });

  it('plain text imports one paragraph per line; API writes without a cookie are by "api"', async () => {
    const res = await put('md-text', 'line *one*\r\n\r\n# line two\n', 'text/plain');
    expect(res.status).toBe(201);
    const md = await get('/api/v1/pads/md-text/export.md');
    expect(md.text).toBe('line \\*one\\*\n\n\\# line two\n');
    const txt = await get('/api/v1/pads/md-text/export.txt?download=1');
    expect(txt.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(txt.headers.get('content-disposition')).toBe('attachment; filename="md-text.txt"');
    expect(txt.text).toBe('line *one*\n\n# line two\n');
    const row = server.app.db!.prepare('SELECT author FROM updates WHERE pad_id = ? ORDER BY seq DESC LIMIT 1').get('md-text') as {
      author: string;
    };
    expect(row.author).toBe('api');
  });

  it('HTML export is a standalone document with a script-free CSP', async () => {
    await put('md-html', '# Title\n\n**bold** [ok](https://example.org "t")\n');
    const html = await get('/api/v1/pads/md-html/export.html?download=1');
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(html.headers.get('content-disposition')).toBe('attachment; filename="md-html.html"');
    expect(html.text).toContain('<h1>Title</h1>');
    expect(html.text).toContain('<strong>bold</strong> <a href="https://example.org" title="t" rel="noopener noreferrer nofollow">ok</a>');
  });

  it('errors: unknown pad 404, bad id 400, wrong type 415, too large 413, too complex 422', async () => {
    const missing = await get('/api/v1/pads/never-written/export.md');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).error.code).toBe('pad_not_found');
    expect((await get('/api/v1/pads/bad%20id/export.md')).status).toBe(400);
    const json = await put('md-err', JSON.stringify({ a: 1 }), 'application/json');
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('unsupported_media_type');
    const other = await put('md-err', 'x', 'application/octet-stream');
    expect(other.status).toBe(415);
    const big = await put('md-err', 'a'.repeat(64 * 1024 + 1));
    expect(big.status).toBe(413);
    expect(big.body.error).toEqual({ code: 'payload_too_large', message: expect.stringContaining('64 KiB') });
    const deep = await put('md-err', '>'.repeat(60_000));
    expect(deep.status).toBe(422);
    expect(deep.body.error.code).toBe('unprocessable_content');
    expect(await server.app.store.getPad('md-err')).toBeNull();
  });

  it('hostile markdown at the size cap is answered in bounded time and the server stays responsive', async () => {
    const started = performance.now();
    const inputs = ['_a'.repeat(32 * 1024 - 1), '['.repeat(64 * 1024), '*a'.repeat(32 * 1024 - 1), '<'.repeat(64 * 1024)];
    const results = await Promise.all(inputs.map((input, i) => put(`md-hostile-${i}`, input)));
    for (const r of results) expect([200, 201, 422]).toContain(r.status);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    // One import at a time: each may take the parse deadline (3 s) and, after a timeout, the
    // start of a new worker (not counted against the deadline).
    expect(performance.now() - started).toBeLessThan(4 * (3500 + 4000));
  });
});

describe('XSS corpus through import and HTML export', () => {
  const corpus = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](<java\tscript:alert(1)>)',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](vbscript:msgbox(1))',
    '<javascript:alert(1)>',
    '![x](javascript:alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    '"><script>alert(1)</script>',
    '[x](https://ok.org "\\" onmouseover=\\"alert(1)")',
    '<iframe src="javascript:alert(1)"></iframe>',
    '```"><script>alert(1)</script>\ncode\n```',
    '<style>body{display:none}</style>',
  ];
  for (const [i, payload] of corpus.entries()) {
    it(`is inert: ${JSON.stringify(payload)}`, async () => {
      const res = await put(`xss-${i}`, `# Notes\n\n${payload}\n\nafter`);
      expect(res.status).toBe(201);
      const html = (await get(`/api/v1/pads/xss-${i}/export.html`)).text;
      const body = html.slice(html.indexOf('<body>'));
      expect(body).not.toMatch(/<script/i);
      expect(body).not.toMatch(/<(img|svg|iframe|style)/i);
      expect(body).not.toMatch(/\bon\w+=/i);
      expect(body).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
      for (const m of body.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^https?:/);
      expect(body).toContain('after');
    });
  }
});
