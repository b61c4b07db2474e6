/**
 * Two people on one pad in real Chromium against the built server: text and carets travel
 * both ways, the save status reaches "All changes saved", and the content outlives a reload
 * (and is on the server, not only in IndexedDB) without being duplicated.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { launchBrowser, skipWithoutBrowser } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';

/** Generous: the CI machine has two cores and runs Chromium twice over. */
const WAIT = { timeout: 30_000, interval: 100 };

interface Person {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

type Server = Awaited<ReturnType<typeof startServer>>;

describe.skipIf(skipWithoutBrowser)('pad page in Chromium', () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  }, 30_000);

  async function openPad(padId: string, user: { name: string; color: string }): Promise<Person> {
    if (!browser || !server) throw new Error('beforeAll did not finish');
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    await context.addInitScript(
      ([key, value]) => window.localStorage.setItem(key, value),
      ['gatherpad:user', JSON.stringify(user)] as const,
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.baseUrl}/p/${padId}`);
    await page.getByLabel('Pad content').waitFor({ timeout: WAIT.timeout });
    return { context, page, errors };
  }

  const content = (page: Page): Promise<string> => page.getByLabel('Pad content').innerText();
  const status = (page: Page, testId: string): Promise<string> =>
    page.getByTestId(testId).innerText().then((text) => text.trim());

  async function typeAtEnd(page: Page, text: string): Promise<void> {
    await page.getByLabel('Pad content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(text);
  }

  it('syncs text and carets between two people and keeps the content', async () => {
    const padId = `e2e-${randomPadId()}`;
    const ada = await openPad(padId, { name: 'Ada', color: '#e03131' });
    const grace = await openPad(padId, { name: 'Grace', color: '#1c7ed6' });

    for (const person of [ada, grace]) {
      await expect.poll(() => status(person.page, 'connection-status'), WAIT).toBe('Live');
      expect(await person.page.title()).toBe(`${padId} · Gatherpad`);
    }

    await typeAtEnd(ada.page, 'Hello from Ada');
    await expect.poll(() => content(grace.page), WAIT).toContain('Hello from Ada');

    await typeAtEnd(grace.page, ' and Grace');
    await expect.poll(() => content(ada.page), WAIT).toContain('Hello from Ada and Grace');

    await ada.page
      .locator('.collaboration-carets__label', { hasText: 'Grace' })
      .waitFor({ state: 'visible', timeout: WAIT.timeout });
    await expect
      .poll(() => ada.page.getByTestId('presence-list').innerText(), WAIT)
      .toMatch(/Ada[\s\S]*Grace/);

    for (const person of [ada, grace]) {
      await expect.poll(() => status(person.page, 'save-status'), WAIT).toBe('All changes saved');
    }

    await ada.page.reload();
    await expect.poll(() => status(ada.page, 'connection-status'), WAIT).toBe('Live');
    await expect.poll(() => content(ada.page), WAIT).toContain('Hello from Ada and Grace');
    await expect.poll(() => status(ada.page, 'save-status'), WAIT).toBe('All changes saved');
    // The server owns initial content: a reload must never add a second copy.
    expect((await content(ada.page)).split('Hello from Ada').length - 1).toBe(1);

    // A browser with empty IndexedDB gets the content from the server alone.
    const newcomer = await openPad(padId, { name: 'Linus', color: '#2f9e44' });
    await expect.poll(() => content(newcomer.page), WAIT).toContain('Hello from Ada and Grace');

    expect([...ada.errors, ...grace.errors, ...newcomer.errors]).toEqual([]);
  }, 180_000);
});
