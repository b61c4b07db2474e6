/**
 * On a 375 px phone every button of the notes toolbar and of the board toolbar is on screen:
 * the toolbars wrap into rows instead of running off the right edge (or hiding half their
 * buttons in a sideways scroll). Built server and client, Chromium with touch.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { WAIT } from '../helpers/pad-people.js';

const PHONE = { width: 375, height: 812 };

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
  const suite = useBrowserSuite();

  it('shows every notes and board toolbar button within the screen', async () => {
    const { page, errors } = await suite.openLive(`/p/phone-${randomPadId()}`, { name: 'Ada', color: '#e03131' }, { viewport: PHONE, isMobile: true, hasTouch: true });

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
