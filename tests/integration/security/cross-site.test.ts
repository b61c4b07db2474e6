/**
 * Cross-site request forgery: another site's page cannot make a visitor's browser change a pad
 * (a body-less POST to restore, a form-encodable import). Same-origin pages, scripts without an
 * Origin and admin calls with the bearer token keep working. The same holds for the Etherpad
 * routes: `/p/<pad>/import` (a multipart form, the easiest to forge) and the compatible API,
 * which scripts call with the key and no Origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from '../../helpers/server.js';

const ADMIN = 'cross-site-admin';
let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcess({ ADMIN_TOKEN: ADMIN, REVISION_WINDOW_MS: '0' });
  for (const text of ['# first', '# second']) {
    const res = await fetch(`${server.baseUrl}/api/v1/pads/csrf/content`, {
      method: 'PUT',
      headers: { 'content-type': 'text/markdown' },
      body: text,
    });
    expect(res.status).toBeLessThan(300);
  }
});

afterAll(async () => {
  await server?.close();
});

const markdown = async () => (await fetch(`${server.baseUrl}/api/v1/pads/csrf/export.md`)).text();
const restore = (headers: Record<string, string>) =>
  fetch(`${server.baseUrl}/api/v1/pads/csrf/revisions/1/restore`, { method: 'POST', headers });

describe('cross-site writes', () => {
  it('refuses a body-less cross-site POST to restore, by Origin or by Sec-Fetch-Site', async () => {
    const attempts: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const res = await restore(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect(await markdown()).toContain('# second');
  });

  it('refuses a cross-site import that a plain form could send', async () => {
    const res = await fetch(`${server.baseUrl}/api/v1/pads/csrf/content`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: 'owned',
    });
    expect(res.status).toBe(403);
    expect(await markdown()).not.toContain('owned');
  });

  it('lets same-origin pages, scripts without an Origin and admin calls through', async () => {
    const own = new URL(server.baseUrl).origin;
    expect((await restore({ origin: own, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect(await markdown()).toContain('# first');
    expect((await restore({})).status).toBe(200);
    const admin = await fetch(`${server.baseUrl}/api/v1/pads/csrf/edit-key`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, origin: 'https://ops.example', 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'open sesame' }),
    });
    expect(admin.status).toBeLessThan(300);
  });
});

describe('cross-site writes to the Etherpad routes', () => {
  const formImport = (padId: string, text: string, headers: Record<string, string>) => {
    const form = new FormData();
    form.set('file', new Blob([text]), 'notes.txt');
    return fetch(`${server.baseUrl}/p/${padId}/import`, { method: 'POST', body: form, headers });
  };
  const etherpadApi = (fn: string, args: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}/api/1/${fn}`, { method: 'POST', body: new URLSearchParams(args), headers });

  it('refuses a forged form import into a pad, and lets its own page import', async () => {
    const forged = await formImport('csrf-form', 'owned', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(forged.status).toBe(403);
    expect((await forged.json()) as unknown).toMatchObject({ error: { code: 'forbidden' } });
    expect((await fetch(`${server.baseUrl}/api/v1/pads/csrf-form/export.md`)).status).toBe(404);
    const own = await formImport('csrf-form', 'mine', { origin: new URL(server.baseUrl).origin, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(201);
    expect(await (await fetch(`${server.baseUrl}/api/v1/pads/csrf-form/export.md`)).text()).toBe('mine\n');
  });

  it("answers the compatible API's scripts (key, no Origin) and refuses a page on another site in Etherpad's envelope", async () => {
    const script = await etherpadApi('setText', { apikey: ADMIN, padID: 'csrf', text: 'from a script' });
    expect(await script.json()).toEqual({ code: 0, message: 'ok', data: null });
    expect(await markdown()).toContain('from a script');
    const page = await etherpadApi(
      'setText',
      { apikey: 'guessed', padID: 'csrf', text: 'from a page' },
      { origin: 'https://evil.example' },
    );
    expect(page.status).toBe(403);
    expect(await page.json()).toMatchObject({ code: 1, data: null });
    expect(await markdown()).not.toContain('from a page');
  });
});
