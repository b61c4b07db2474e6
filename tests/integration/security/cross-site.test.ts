/**
 * Cross-site request forgery: another site's page cannot make a visitor's browser change a pad
 * (a body-less POST to restore, a form-encodable import). Same-origin pages, scripts without an
 * Origin and admin calls with the bearer token keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from '../../helpers/server.js';

const ADMIN = 'cross-site-admin';
let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcess({ ADMIN_TOKEN: ADMIN, REVISION_WINDOW_MS: '0' });
  for (const text of ['# first', '# second']) {
    const res = await fetch(`${server.baseUrl}/api/v1/pads/csrf/content`, { method: 'PUT', headers: { 'content-type': 'text/markdown' }, body: text });
    expect(res.status).toBeLessThan(300);
  }
});

afterAll(async () => {
  await server?.close();
});

const markdown = async () => (await fetch(`${server.baseUrl}/api/v1/pads/csrf/export.md`)).text();
const restore = (headers: Record<string, string>) => fetch(`${server.baseUrl}/api/v1/pads/csrf/revisions/1/restore`, { method: 'POST', headers });

describe('cross-site writes', () => {
  it('refuses a body-less cross-site POST to restore, by Origin or by Sec-Fetch-Site', async () => {
    const attempts: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
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
