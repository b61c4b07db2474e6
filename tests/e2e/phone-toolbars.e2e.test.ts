/**
 * On a 375 px phone every button of the notes toolbar and of the board toolbar is on screen:
 * the toolbars wrap into rows instead of running off the right edge (or hiding half their
 * buttons in a sideways scroll). Built server and client, Chromium with touch.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { launchBrowser, skipWithoutBrowser } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';

const WAIT = { timeout: 30_000, interval: 100 };
const PHONE = { width: 375, height: 812 };
type Server = Awaited<ReturnType<typeof startServer>>;

/** Controls of `toolbar` that are displayed but not entirely inside it and the screen, and whether it scrolls sideways. */
function offScreen(page: Page, toolbar: string): Promise<{ controls: number; outside: string[]; scrolls: boolean }> {
  return page.evaluate(
    ([selector, width]) => {
      const bar = document.querySelector<HTMLElement>(selector);
      if (!bar) throw new Error(`no ${selector}`);
      const frame = bar.getBoundingClientRect();
      const controls = Array.from(bar.querySelectorAll<HTMLElement>('button, select')).filter((c) => c.getClientRects().length > 0);
      const outside = controls
        .filter((c) => {
          const r = c.getBoundingClientRect();
          return r.left < Math.max(0, frame.left) - 0.5 || r.right > Math.min(width, frame.right) + 0.5;
        })
        .map((c) => c.getAttribute('aria-label') ?? c.title ?? c.textContent ?? '?');
      return { controls: controls.length, outside, scrolls: bar.scrollWidth > bar.clientWidth + 1 };
    },
    [toolbar, PHONE.width] as const,
  );
}

describe.skipIf(skipWithoutBrowser)('toolbars on a 375 px phone', () => {
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

  it('shows every notes and board toolbar button within the screen', async () => {
    const context = await browser!.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    contexts.push(context);
    await context.addInitScript(() => window.localStorage.setItem('gatherpad:user', JSON.stringify({ name: 'Ada', color: '#e03131' })));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server!.baseUrl}/p/phone-${randomPadId()}`);
    await expect.poll(() => page.getByTestId('connection-status').innerText(), WAIT).toBe('Live');

    const notes = await offScreen(page, '#toolbar');
    expect(notes.controls).toBeGreaterThan(15);
    expect(notes).toEqual({ controls: notes.controls, outside: [], scrolls: false });

    await page.getByTestId('tab-board').click();
    await page.getByTestId('board-canvas').waitFor({ timeout: WAIT.timeout });
    const board = await offScreen(page, '.board-toolbar');
    expect(board.controls).toBeGreaterThan(15);
    expect(board).toEqual({ controls: board.controls, outside: [], scrolls: false });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
