/**
 * The board in real Chromium, two people on one pad (built server and client): both draw and
 * move stickies and see each other's (an empty board says how to start), one sticky dragged by both at once converges, an arrow
 * bound to a sticky follows it, other people's pointers show with names, the SVG export holds
 * the stickies' text, and a viewer (read-only link) sees the board but cannot change it.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { WAIT, type PadUser, type Person } from '../helpers/pad-people.js';

describe.skipIf(skipWithoutBrowser)('board in Chromium', () => {
  const suite = useBrowserSuite();

  /** The pad at `path` on its Board tab. */
  async function openBoard(path: string, user: PadUser): Promise<Person> {
    const person = await suite.open(path, user, { viewport: { width: 1200, height: 850 }, acceptDownloads: true });
    await person.page.getByTestId('tab-board').click();
    await person.page.getByTestId('board-canvas').waitFor({ timeout: WAIT.timeout });
    return person;
  }

  /** Screen centre of a sticky with `text`, or null while it is not drawn. */
  async function centreOf(page: Page, text: string): Promise<{ x: number; y: number } | null> {
    const box = await page
      .locator('g[data-type="sticky"]', { hasText: text })
      .boundingBox()
      .catch(() => null);
    return box ? { x: box.x + box.width / 2, y: box.y + box.height / 2 } : null;
  }

  /** The sticky's world position from its transform attribute. */
  async function worldPos(page: Page, text: string): Promise<string | null> {
    return page
      .locator('g[data-type="sticky"]', { hasText: text })
      .getAttribute('transform', { timeout: 2000 })
      .catch(() => null);
  }

  async function addSticky(page: Page, at: { x: number; y: number }, text: string): Promise<void> {
    await page.keyboard.press('n');
    await page.mouse.click(at.x, at.y);
    const editor = page.getByTestId('board-text-editor');
    await editor.waitFor({ state: 'visible' });
    await page.keyboard.type(text);
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'hidden' });
  }

  async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 8): Promise<void> {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps });
    await page.mouse.up();
  }

  it('shares stickies, strokes, moves, arrows and pointers between two people; exports SVG', async () => {
    const padId = `board-${randomPadId()}`;
    const ada = await openBoard(`/p/${padId}`, { name: 'Ada', color: '#e03131' });
    const grace = await openBoard(`/p/${padId}`, { name: 'Grace', color: '#1c7ed6' });
    const canvas = (await ada.page.getByTestId('board-canvas').boundingBox())!;
    const at = (dx: number, dy: number) => ({ x: canvas.x + canvas.width / 2 + dx, y: canvas.y + canvas.height / 2 + dy });

    // An empty board says how to start, until someone puts something on it.
    const hint = grace.page.getByTestId('board-empty');
    await expect.poll(() => hint.isVisible(), WAIT).toBe(true);
    expect(await hint.innerText()).toContain('N for a sticky note');

    // Both add a sticky; each sees the other's.
    await addSticky(ada.page, at(-300, -150), 'Ada idea');
    await expect.poll(() => hint.isVisible(), WAIT).toBe(false);
    await addSticky(grace.page, at(200, -150), 'Grace note');
    await expect.poll(() => centreOf(grace.page, 'Ada idea'), WAIT).not.toBeNull();
    await expect.poll(() => centreOf(ada.page, 'Grace note'), WAIT).not.toBeNull();

    // A pen stroke travels too (written once, when it ends).
    await ada.page.keyboard.press('d');
    await drag(ada.page, at(-300, 150), at(-100, 220), 12);
    await expect.poll(() => grace.page.locator('g[data-type="stroke"]').count(), WAIT).toBe(1);
    await ada.page.keyboard.press('v');

    // Grace sees Ada's pointer with her name.
    await ada.page.mouse.move(at(0, 0).x, at(0, 0).y, { steps: 3 });
    await expect.poll(() => grace.page.locator('.board-pointer__name', { hasText: 'Ada' }).count(), WAIT).toBe(1);

    // Ada moves Grace's sticky; Grace sees it move.
    const before = await worldPos(grace.page, 'Grace note');
    await drag(ada.page, (await centreOf(ada.page, 'Grace note'))!, at(250, 50));
    await expect.poll(() => worldPos(grace.page, 'Grace note'), WAIT).not.toBe(before);
    await expect.poll(() => worldPos(grace.page, 'Grace note'), WAIT).toBe(await worldPos(ada.page, 'Grace note'));

    // An arrow from Ada's sticky to Grace's, then Grace moves her sticky: the arrow follows.
    await ada.page.keyboard.press('a');
    await drag(ada.page, (await centreOf(ada.page, 'Ada idea'))!, (await centreOf(ada.page, 'Grace note'))!);
    const arrowEnd = (page: Page) =>
      page
        .locator('g[data-type="arrow"] line')
        .evaluate((l) => [Number(l.getAttribute('x2')), Number(l.getAttribute('y2'))])
        .catch(() => null);
    await expect.poll(() => arrowEnd(grace.page), WAIT).not.toBeNull();
    const endBefore = (await arrowEnd(ada.page))!;
    await grace.page.keyboard.press('v');
    const graceFrom = (await centreOf(grace.page, 'Grace note'))!;
    await drag(grace.page, graceFrom, { x: graceFrom.x, y: graceFrom.y + 200 });
    await expect.poll(async () => ((await arrowEnd(ada.page)) ?? endBefore)[1] - endBefore[1], WAIT).toBeGreaterThan(150);
    await expect.poll(() => arrowEnd(ada.page), WAIT).toEqual(await arrowEnd(grace.page));

    // Both drag Ada's sticky at the same time, in opposite directions: they converge.
    const aStart = (await centreOf(ada.page, 'Ada idea'))!;
    const gStart = (await centreOf(grace.page, 'Ada idea'))!;
    await ada.page.mouse.move(aStart.x, aStart.y);
    await grace.page.mouse.move(gStart.x, gStart.y);
    await ada.page.mouse.down();
    await grace.page.mouse.down();
    for (let i = 1; i <= 10; i++) {
      await Promise.all([
        ada.page.mouse.move(aStart.x - 10 * i, aStart.y + 8 * i),
        grace.page.mouse.move(gStart.x + 12 * i, gStart.y - 6 * i),
      ]);
    }
    await Promise.all([ada.page.mouse.up(), grace.page.mouse.up()]);
    await expect.poll(async () => (await worldPos(ada.page, 'Ada idea')) === (await worldPos(grace.page, 'Ada idea')), WAIT).toBe(true);

    // SVG export holds both stickies' text.
    const download = ada.page.waitForEvent('download');
    await ada.page.getByTestId('board-export-svg').click();
    const file = await (await download).path();
    const svg = await readFile(file, 'utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg/);
    expect(svg).toContain('Ada idea');
    expect(svg).toContain('Grace note');

    // A viewer on the read-only link sees the board and cannot change it.
    const meta = (await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}`)).json()) as { readOnlyId: string };
    const viewer = await openBoard(`/r/${meta.readOnlyId}`, { name: 'Viewer', color: '#2f9e44' });
    await expect.poll(() => centreOf(viewer.page, 'Ada idea'), WAIT).not.toBeNull();
    await expect.poll(() => viewer.page.getByTestId('board-tool-sticky').isHidden(), WAIT).toBe(true);
    await viewer.page.keyboard.press('n');
    await viewer.page.mouse.click(at(0, 300).x, at(0, 300).y);
    expect(await viewer.page.locator('g[data-type="sticky"]').count()).toBe(2);

    expect([...ada.errors, ...grace.errors, ...viewer.errors]).toEqual([]);
  }, 240_000);
});
