/**
 * The event page in real Chromium against the built server: it shows the teams, their pads and
 * the schedule; the live count of a team pad rises when a second browser context opens the pad
 * (pushed over server-sent events), and search finds what was typed there, highlighted.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { launchBrowser, skipWithoutBrowser } from '../helpers/browser.js';
import { ADMIN_TOKEN, admin } from '../helpers/events.js';
import { startServer } from '../helpers/server.js';

const WAIT = { timeout: 30_000, interval: 100 };
type Server = Awaited<ReturnType<typeof startServer>>;

describe.skipIf(skipWithoutBrowser)('event page in Chromium', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { ADMIN_TOKEN } });
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  }, 30_000);

  async function open(path: string): Promise<{ page: Page; errors: string[] }> {
    if (!browser || !server) throw new Error('beforeAll did not finish');
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    await context.addInitScript(() => window.localStorage.setItem('gatherpad:user', JSON.stringify({ name: 'Ada', color: '#e03131' })));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.baseUrl}${path}`);
    return { page, errors };
  }

  it('shows the teams and a live count that rises when someone opens a team pad', async () => {
    if (!server) throw new Error('no server');
    const slug = `ev${randomPadId().replace(/-/g, '')}`;
    const today = new Date().toISOString().slice(0, 10);
    const created = await admin(server.baseUrl, 'PUT', `/api/v1/events/${slug}`, {
      name: 'Browser PTG',
      startsOn: today,
      rooms: ['Austin', 'Bexar'],
      slots: [{ name: 'am', start: '09:00', end: '12:00' }],
      teams: [{ slug: 'nova', name: 'Nova', color: '#0b5394', now: 'Unified limits' }, { slug: 'cinder', name: 'Cinder' }],
      bookings: [{ room: 'Bexar', day: today, slot: 'am', team: 'cinder' }],
    });
    expect(created.status).toBe(201);

    const viewer = await open(`/e/${slug}`);
    const { page } = viewer;
    await page.getByTestId('team-nova').waitFor({ timeout: WAIT.timeout });
    expect(await page.getByTestId('teams').innerText()).toMatch(/Nova[\s\S]*Unified limits[\s\S]*Cinder/);
    expect(await page.locator('#schedule').innerText()).toContain('Cinder');
    expect(await page.title()).toBe('Browser PTG · Gatherpad');
    const badge = page.getByTestId(`live-${slug}-nova`);
    await expect.poll(() => badge.getAttribute('data-count'), WAIT).toBe('0');
    await expect.poll(() => page.locator('#live-status').innerText(), WAIT).toBe('Live');

    const editor = await open(`/p/${slug}-nova`);
    await editor.page.getByLabel('Pad content').waitFor({ timeout: WAIT.timeout });
    await expect.poll(() => badge.getAttribute('data-count'), WAIT).toBe('1');
    expect(await badge.innerText()).toBe('1 here now');

    // What is typed there becomes searchable from the event page within seconds.
    await editor.page.getByLabel('Pad content').click();
    await editor.page.keyboard.type('We agreed on the kumquat scheduler.');
    await expect.poll(async () => {
      await page.locator('#search-input').fill('kumquat');
      await page.locator('#search-form button').click();
      return page.getByTestId('search-results').locator('mark').allInnerTexts();
    }, WAIT).toEqual(['kumquat']);

    await editor.page.context().close();
    await expect.poll(() => badge.getAttribute('data-count'), WAIT).toBe('0');
    expect([...viewer.errors, ...editor.errors]).toEqual([]);
  }, 180_000);

  it('lists events on the home page', async () => {
    const { page, errors } = await open('/');
    await page.getByTestId('events-list').waitFor({ timeout: WAIT.timeout });
    expect(await page.getByTestId('events-list').innerText()).toContain('Browser PTG');
    expect(errors).toEqual([]);
  }, 60_000);
});
