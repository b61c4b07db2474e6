/**
 * The pad page on phones (390 x 844 and 375 x 667) in Chromium with touch: the header, the tabs
 * and the notes (or board) toolbar take at most a quarter of the screen; each toolbar is one
 * row that scrolls sideways, and every control in it and in the header can be scrolled fully
 * onto the screen; nothing is wider than the screen; the Export menu and the Share dialog stay
 * on screen; another person's caret label at the right edge is not cut off. Screenshots in
 * test-results/ui/.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { padText, typeAtEnd, WAIT } from '../helpers/pad-people.js';
import { screenshot } from '../helpers/screenshots.js';

const PHONES = [
  { width: 390, height: 844 },
  { width: 375, height: 667 },
];

/** Whether `box` lies inside the screen (half a pixel of rounding allowed). */
function onScreen(box: { x: number; y: number; width: number; height: number } | null, screen: { width: number; height: number }): boolean {
  return !!box && box.x >= -0.5 && box.y >= -0.5 && box.x + box.width <= screen.width + 0.5 && box.y + box.height <= screen.height + 0.5;
}

/** Scrolls each visible control of `row` into view; returns the labels of any still not fully on screen, and how many rows the controls take. */
async function reachable(
  row: Locator,
  screen: { width: number; height: number },
): Promise<{ count: number; missed: string[]; rows: number }> {
  const controls = row.locator('button:visible, select:visible, summary:visible');
  const count = await controls.count();
  const missed: string[] = [];
  const tops = new Set<number>();
  for (let i = 0; i < count; i += 1) {
    const control = controls.nth(i);
    await control.scrollIntoViewIfNeeded();
    const box = await control.boundingBox();
    if (!onScreen(box, screen)) missed.push((await control.getAttribute('aria-label')) ?? (await control.innerText()));
    if (box) tops.add(Math.round(box.y + box.height / 2));
  }
  return { count, missed, rows: tops.size };
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.skipIf(skipWithoutBrowser)('the pad page on phones', () => {
  const suite = useBrowserSuite();

  for (const screen of PHONES) {
    it(`fits a ${screen.width} x ${screen.height} phone: a quarter for header and toolbars, one scrolling row each, menus and dialogs on screen`, async () => {
      const phone = { viewport: screen, isMobile: true, hasTouch: true };
      const { page, errors } = await suite.openLive(`/p/phone-${randomPadId()}`, { name: 'Ada', color: '#e03131' }, phone);
      await typeAtEnd(page, 'Notes from a phone.');

      const bottomOf = (selector: string) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().bottom);
      expect(await bottomOf('#toolbar')).toBeLessThanOrEqual(screen.height / 4);
      const notes = await reachable(page.locator('#toolbar'), screen);
      expect(notes.count).toBeGreaterThan(15);
      expect(notes).toMatchObject({ missed: [], rows: 1 });
      const header = await reachable(page.locator('.pad-header'), screen);
      expect(header.missed).toEqual([]);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `phone-${screen.width}x${screen.height}-pad`);

      // The Export menu opens as a sheet on screen.
      await page.getByTestId('export-menu').locator('summary').click();
      const items = page.locator('.export-menu__item');
      expect(await items.count()).toBeGreaterThan(3);
      for (let i = 0; i < (await items.count()); i += 1) {
        const item = items.nth(i);
        expect(onScreen(await item.boundingBox(), screen), `export item ${i}`).toBe(true);
        // Drawn, not only laid out: the top element there is the item, and no ancestor masks it.
        const drawn = await item.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          let masked = false;
          for (let node: Element | null = el; node; node = node.parentElement)
            if (getComputedStyle(node).maskImage !== 'none') masked = true;
          return (top === el || el.contains(top)) && !masked;
        });
        expect(drawn, `export item ${i} drawn`).toBe(true);
      }
      await screenshot(page, `phone-${screen.width}x${screen.height}-export`);
      await page.keyboard.press('Escape');
      await expect.poll(() => items.first().isVisible(), WAIT).toBe(false);

      // The Share dialog, with its links, on screen.
      await page.getByTestId('share-open').scrollIntoViewIfNeeded();
      await page.getByTestId('share-open').click();
      const dialog = page.getByTestId('share-dialog');
      await expect.poll(() => dialog.getByTestId('share-edit-link').isVisible(), WAIT).toBe(true);
      expect(onScreen(await dialog.boundingBox(), screen)).toBe(true);
      for (const field of ['share-edit-link', 'share-readonly-link', 'share-embed']) {
        const box = await dialog
          .getByTestId(field)
          .boundingBox()
          .catch(() => null);
        if (box) expect(box.x + box.width, field).toBeLessThanOrEqual(screen.width);
      }
      await screenshot(page, `phone-${screen.width}x${screen.height}-share`);
      await page.getByRole('button', { name: 'Done' }).click();

      // The board: header, tabs and its toolbar within a quarter too, one scrolling row.
      await page.getByTestId('tab-board').click();
      await page.getByTestId('board-canvas').waitFor({ timeout: WAIT.timeout });
      expect(await bottomOf('.board-toolbar')).toBeLessThanOrEqual(screen.height / 4);
      const board = await reachable(page.locator('.board-toolbar'), screen);
      expect(board.count).toBeGreaterThan(15);
      expect(board).toMatchObject({ missed: [], rows: 1 });
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, `phone-${screen.width}x${screen.height}-board`);
      expect(errors).toEqual([]);
    }, 120_000);
  }

  it("keeps another person's caret label on screen at the right edge", async () => {
    const padId = `phone-caret-${randomPadId()}`;
    const screen = PHONES[1];
    const ada = await suite.openLive(
      `/p/${padId}`,
      { name: 'Ada', color: '#e03131' },
      { viewport: screen, isMobile: true, hasTouch: true },
    );
    const grace = await suite.openLive(`/p/${padId}`, { name: 'Grace Hopper', color: '#1c7ed6' });
    await typeAtEnd(grace.page, 'The quick brown fox jumps over the lazy dog and keeps running across the page');
    await expect.poll(() => padText(ada.page), WAIT).toContain('across the page');

    // Just before the last character of the first line on Ada's screen (after it, at a space,
    // the caret is drawn at the start of the next line): where the label has least room.
    const offset = await ada.page.evaluate(() => {
      const text = document.querySelector('.pad-content p')?.firstChild;
      if (!text) throw new Error('no text');
      const range = document.createRange();
      let firstTop = -1;
      let last = 0;
      for (let i = 0; i < (text.textContent ?? '').length; i += 1) {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const rect = range.getBoundingClientRect();
        if (firstTop < 0) firstTop = rect.top;
        if (Math.abs(rect.top - firstTop) > 2) break;
        last = i + 1;
      }
      return last - 1;
    });
    await grace.page.keyboard.press('Home');
    for (let i = 0; i < offset; i += 1) await grace.page.keyboard.press('ArrowRight');

    const label = ada.page.locator('.collaboration-carets__label', { hasText: 'Grace Hopper' });
    await label.waitFor({ timeout: WAIT.timeout });
    // Grace's caret reaches the right edge of Ada's screen; its label, wider than what is left
    // there, is moved in.
    const caretLeft = () => ada.page.locator('.collaboration-carets__caret').evaluate((el) => el.getBoundingClientRect().left);
    // Grace's caret arrives in steps (one awareness update per few keys): wait until it rests.
    let previous = Number.NaN;
    await expect
      .poll(async () => {
        const now = await caretLeft();
        const resting = now === previous && now > screen.width - 60;
        previous = now;
        return resting;
      }, WAIT)
      .toBe(true);
    const caret = await caretLeft();
    const width = (await label.boundingBox())!.width;
    expect(caret + width).toBeGreaterThan(screen.width);
    await expect.poll(async () => onScreen(await label.boundingBox(), screen), WAIT).toBe(true);
    expect(await overflow(ada.page)).toBeLessThanOrEqual(0);
    await screenshot(ada.page, 'phone-caret-label-right-edge');
    expect([...ada.errors, ...grace.errors]).toEqual([]);
  }, 120_000);
});
