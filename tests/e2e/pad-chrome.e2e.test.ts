/**
 * The page chrome people expect, in Chromium: the theme toggle (remembered, colours change), a
 * phone-size screenshot of the pad with chat (kept under test-results/ for people to look
 * at), nothing wider than a 375 px screen on the pad and event pages, the shortcuts dialog on
 * `?` and Mod-/, the share dialog and keyboard reach. axe-core runs on every page in
 * axe.e2e.test.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { ADMIN_TOKEN, admin } from '../helpers/events.js';
import { statusOf, typeAtEnd, WAIT, type Person } from '../helpers/pad-people.js';

const ARTIFACTS = join(process.cwd(), 'test-results');
const PHONE = { width: 375, height: 812 };

describe.skipIf(skipWithoutBrowser)('page chrome in Chromium', () => {
  const suite = useBrowserSuite({ env: { ADMIN_TOKEN } });
  let eventSlug = '';

  // After the suite's own beforeAll: the server and Chromium are up.
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    eventSlug = `ev${randomPadId().replace(/-/g, '')}`;
    const today = new Date().toISOString().slice(0, 10);
    const created = await admin(suite.server.baseUrl, 'PUT', `/api/v1/events/${eventSlug}`, {
      name: 'Polish PTG',
      startsOn: today,
      rooms: ['Austin'],
      slots: [{ name: 'am', start: '09:00', end: '12:00' }],
      teams: [
        { slug: 'nova', name: 'Nova', color: '#0b5394', now: 'Unified limits' },
        { slug: 'cinder', name: 'Cinder' },
      ],
      bookings: [{ room: 'Austin', day: today, slot: 'am', team: 'nova' }],
    });
    expect(created.status).toBe(201);
  }, 90_000);

  const open = (path: string, options: BrowserContextOptions = {}): Promise<Person> =>
    suite.open(path, { name: 'Ada', color: '#f59f00' }, options);

  const background = (page: Page): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  it('switches between light and dark themes and remembers the choice', async () => {
    const ada = await open(`/p/chrome-${randomPadId()}`, { colorScheme: 'light' });
    await expect.poll(() => statusOf(ada.page, 'connection-status'), WAIT).toBe('Live');
    expect(await background(ada.page)).toBe('rgb(255, 255, 255)');
    await ada.page.getByTestId('theme-toggle').click();
    await expect.poll(() => background(ada.page), WAIT).toBe('rgb(23, 25, 29)');
    expect(await ada.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await ada.page.getByTestId('theme-toggle').getAttribute('aria-label')).toBe('Use the light theme');
    await ada.page.reload();
    await expect.poll(() => background(ada.page), WAIT).toBe('rgb(23, 25, 29)');
    // The other pages follow the choice too.
    await ada.page.goto(`${suite.server.baseUrl}/`);
    await expect.poll(() => background(ada.page), WAIT).toBe('rgb(23, 25, 29)');

    // A system in dark mode starts dark; the toggle takes it to light.
    const grace = await open(`/p/chrome-${randomPadId()}`, { colorScheme: 'dark' });
    await expect.poll(() => background(grace.page), WAIT).toBe('rgb(23, 25, 29)');
    await grace.page.getByTestId('theme-toggle').click();
    await expect.poll(() => background(grace.page), WAIT).toBe('rgb(255, 255, 255)');
    expect([...ada.errors, ...grace.errors]).toEqual([]);
  }, 120_000);

  it('fits a 375 px phone: pad with chat (screenshot kept), and the event page', async () => {
    const padId = `phone-${randomPadId()}`;
    const ada = await open(`/p/${padId}`, { viewport: PHONE, isMobile: true, hasTouch: true });
    await expect.poll(() => statusOf(ada.page, 'connection-status'), WAIT).toBe('Live');
    await typeAtEnd(ada.page, 'Nova PTG notes: unified limits, then quotas.');
    const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow(ada.page)).toBeLessThanOrEqual(0);
    await ada.page.screenshot({ path: join(ARTIFACTS, 'pad-phone-375.png') });

    await ada.page.getByTestId('chat-toggle').click();
    await ada.page.locator('#chat-input').fill('Phones can chat too: https://example.org');
    await ada.page.locator('#chat-input').press('Enter');
    await expect.poll(() => ada.page.locator('.chat__message').count(), WAIT).toBe(1);
    const box = await ada.page.getByTestId('chat-panel').boundingBox();
    expect(box?.width).toBeLessThanOrEqual(PHONE.width);
    expect(await overflow(ada.page)).toBeLessThanOrEqual(0);
    await ada.page.screenshot({ path: join(ARTIFACTS, 'pad-phone-375-chat.png') });

    const eventPage = await open(`/e/${eventSlug}`, { viewport: PHONE, isMobile: true, hasTouch: true });
    await eventPage.page.getByTestId('team-nova').waitFor({ timeout: WAIT.timeout });
    expect(await overflow(eventPage.page)).toBeLessThanOrEqual(0);
    await eventPage.page.screenshot({ path: join(ARTIFACTS, 'event-phone-375.png'), fullPage: true });
    expect([...ada.errors, ...eventPage.errors]).toEqual([]);
  }, 120_000);

  it('reaches every action by keyboard: shortcuts on ? and Mod-/, share, chat', async () => {
    const padId = `keys-${randomPadId()}`;
    const ada = await open(`/p/${padId}`);
    const { page } = ada;
    await expect.poll(() => statusOf(page, 'connection-status'), WAIT).toBe('Live');

    // `?` outside the editor opens the dialog; Escape closes it.
    await page.locator('body').press('?');
    await expect.poll(() => page.getByTestId('shortcuts-dialog').isVisible(), WAIT).toBe(true);
    expect(await page.getByTestId('shortcuts-dialog').innerText()).toMatch(/Open the chat[\s\S]*Bold/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('shortcuts-dialog').count(), WAIT).toBe(0);

    // In the editor `?` is just a character; Mod-/ opens the dialog.
    await typeAtEnd(page, 'Why?');
    expect(await page.getByTestId('shortcuts-dialog').count()).toBe(0);
    await page.keyboard.press('Control+/');
    await expect.poll(() => page.getByTestId('shortcuts-dialog').isVisible(), WAIT).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByLabel('Pad content').innerText(), WAIT).toContain('Why?');

    // Share with Alt+Shift+S: edit link, read-only link, embed.
    await expect.poll(() => statusOf(page, 'save-status'), WAIT).toBe('All changes saved');
    await page.keyboard.press('Alt+Shift+S');
    await expect.poll(() => page.getByTestId('share-readonly-link').inputValue(), WAIT).toMatch(/\/r\/r\.[a-z2-7]{26}$/);
    expect(await page.getByTestId('share-edit-link').inputValue()).toBe(`${suite.server.baseUrl}/p/${padId}`);
    expect(await page.getByTestId('share-embed').inputValue()).toMatch(/^<iframe src="[^"]+\/r\/r\.[a-z2-7]{26}"/);
    await page.keyboard.press('Escape');

    // Chat with Alt+Shift+C: focus lands in the message box.
    await page.keyboard.press('Alt+Shift+C');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('chat-input');
    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.chat__message').count(), WAIT).toBe(1);

    // Tab reaches the header's buttons, each with a visible focus ring.
    await page.getByRole('link', { name: 'Gatherpad' }).focus();
    const seen = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return {
          name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
          outline: el ? getComputedStyle(el).outlineStyle : 'none',
        };
      });
      seen.add(info.name);
      if (info.name === 'Share this pad') expect(info.outline).not.toBe('none');
    }
    expect([...seen]).toEqual(expect.arrayContaining(['Share this pad', 'Keyboard shortcuts']));
    expect(ada.errors).toEqual([]);
  }, 120_000);
});
