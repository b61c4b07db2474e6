/**
 * Culling in Chromium (built server and client): shapes far outside the view are not displayed
 * (`display="none"`), come back when the view reaches them, and the SVG export still holds
 * every shape, displayed or not.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BoardModel } from '../../client/src/board/board-model.js';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { connectProvider, synced, waitUntil } from '../helpers/clients.js';
import { WAIT } from '../helpers/pad-people.js';

describe.skipIf(skipWithoutBrowser)('board culling in Chromium', () => {
  const suite = useBrowserSuite();

  const displayed = (page: Page, text: string) =>
    page
      .locator('g[data-type="sticky"]', { hasText: text })
      .evaluate((g) => g.getAttribute('display') !== 'none')
      .catch(() => null);

  it('hides shapes far from the view, shows them again, and exports them all', async () => {
    const padId = `board-cull-${randomPadId()}`;
    // Two stickies 6,000 world units apart, written by a stock y-websocket client.
    const writer = connectProvider(suite.server.wsUrl, padId);
    await synced(writer);
    const model = new BoardModel(writer.doc);
    model.create({ type: 'sticky', x: 0, y: 0, w: 200, h: 200, color: 'yellow', text: 'Near sticky' });
    model.create({ type: 'sticky', x: 6000, y: 0, w: 200, h: 200, color: 'blue', text: 'Far sticky' });
    const check = connectProvider(suite.server.wsUrl, padId);
    await synced(check);
    await waitUntil(() => check.doc.getMap('board').size === 2, 'both stickies on the server');
    writer.destroy();
    check.destroy();

    const { page, errors } = await suite.openLive(
      `/p/${padId}`,
      { name: 'Ada', color: '#e03131' },
      { viewport: { width: 1200, height: 850 }, acceptDownloads: true },
    );
    await page.getByTestId('tab-board').click();
    await page.getByTestId('board-canvas').waitFor({ timeout: WAIT.timeout });

    // The board is fitted when first shown: both displayed.
    await expect.poll(() => displayed(page, 'Near sticky'), WAIT).toBe(true);
    await expect.poll(() => displayed(page, 'Far sticky'), WAIT).toBe(true);

    // Zoom in on the near one: the far one is culled (still in the DOM), the near one shown.
    const near = (await page.locator('g[data-type="sticky"]', { hasText: 'Near sticky' }).boundingBox())!;
    await page.mouse.move(near.x + near.width / 2, near.y + near.height / 2);
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -200);
    await expect.poll(() => displayed(page, 'Far sticky'), WAIT).toBe(false);
    expect(await displayed(page, 'Near sticky')).toBe(true);
    expect(await page.locator('g[data-type="sticky"]').count()).toBe(2);

    // The SVG export holds both, with nothing hidden.
    const download = page.waitForEvent('download');
    await page.getByTestId('board-export-svg').click();
    const svg = await readFile(await (await download).path(), 'utf8');
    expect(svg).toContain('Near sticky');
    expect(svg).toContain('Far sticky');
    expect(svg).not.toContain('display="none"');

    // Zoom to fit: the far one is displayed again.
    await page.getByTestId('board-zoom-fit').click();
    await expect.poll(() => displayed(page, 'Far sticky'), WAIT).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);

  it('opened straight onto the board (#board), fits the shapes once they arrive from the server', async () => {
    const padId = `board-fit-${randomPadId()}`;
    const writer = connectProvider(suite.server.wsUrl, padId);
    await synced(writer);
    new BoardModel(writer.doc).create({ type: 'sticky', x: 5000, y: 4000, w: 200, h: 200, color: 'green', text: 'Far away' });
    const check = connectProvider(suite.server.wsUrl, padId);
    await synced(check);
    await waitUntil(() => check.doc.getMap('board').size === 1, 'the sticky on the server');
    writer.destroy();
    check.destroy();

    const { page, errors } = await suite.open(
      `/p/${padId}#board`,
      { name: 'Bo', color: '#1c7ed6' },
      { viewport: { width: 1200, height: 850 } },
    );
    const canvas = page.getByTestId('board-canvas');
    await canvas.waitFor({ timeout: WAIT.timeout });
    const inView = async () => {
      const box = await page
        .locator('g[data-type="sticky"]', { hasText: 'Far away' })
        .boundingBox()
        .catch(() => null);
      const area = await canvas.boundingBox();
      if (!box || !area) return false;
      return box.x >= area.x && box.y >= area.y && box.x + box.width <= area.x + area.width && box.y + box.height <= area.y + area.height;
    };
    await expect.poll(inView, WAIT).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
