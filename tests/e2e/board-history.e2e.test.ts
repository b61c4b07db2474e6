/**
 * The timeslider on the Board tab, in Chromium against the built server: Ada draws a sticky,
 * saves the revision (Mod-S), deletes the sticky and draws another; History on the Board tab
 * shows the board of the shown revision read-only (never the live, editable board), dragging the
 * slider back shows the old sticky, the Notes tab shows the revision's notes meanwhile, and
 * "Return to live" brings back the live board.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TimelineT } from '../../common/history-schemas.js';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { WAIT } from '../helpers/pad-people.js';

describe.skipIf(skipWithoutBrowser)('board history in Chromium', () => {
  // Revisions of one author's edits grouped over 50 ms (not 2 s), so the sticky's deletion is
  // a revision of its own after the saved one however fast the browser types.
  const suite = useBrowserSuite({ env: { REVISION_WINDOW_MS: '50' } });

  const timeline = async (padId: string): Promise<TimelineT> =>
    (await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/timeline`)).json()) as TimelineT;
  const sticky = (scope: Locator | Page, text: string) => scope.locator('g[data-type="sticky"]', { hasText: text });
  /** Whether a sticky with `text` is drawn and on screen in `scope`. */
  const visible = (scope: Locator | Page, text: string) => sticky(scope, text).isVisible();

  it('shows the board as of the shown revision, read-only, and the live board again on return', async () => {
    const padId = `board-history-${randomPadId()}`;
    const { page, errors } = await suite.openLive(
      `/p/${padId}`,
      { name: 'Ada', color: '#e03131' },
      { viewport: { width: 1200, height: 900 } },
    );
    const saved = () => expect.poll(() => page.getByTestId('save-status').innerText(), WAIT).toBe('All changes saved');

    // A line of notes, then the board: a sticky, saved as a named revision.
    await page.getByLabel('Pad content').click();
    await page.keyboard.type('Agenda for the board session.');
    await page.getByTestId('tab-board').click();
    const live = page.locator('#board-panel');
    const canvas = (await live.getByTestId('board-canvas').boundingBox())!;
    const at = (dx: number, dy: number) => ({ x: canvas.x + canvas.width / 2 + dx, y: canvas.y + canvas.height / 2 + dy });
    const addSticky = async (where: { x: number; y: number }, text: string) => {
      await page.keyboard.press('n');
      await page.mouse.click(where.x, where.y);
      await page.getByTestId('board-text-editor').waitFor({ state: 'visible' });
      await page.keyboard.type(text);
      await page.keyboard.press('Escape');
      await page.getByTestId('board-text-editor').waitFor({ state: 'hidden' });
    };
    await addSticky(at(-250, -100), 'Old plan');
    await saved();
    await page.keyboard.press('Control+s');
    await page.getByRole('textbox', { name: 'Label' }).fill('Before the change');
    await page.getByRole('button', { name: 'Save revision' }).click();
    await expect.poll(async () => (await timeline(padId)).saved.length, WAIT).toBe(1);
    const savedRev = (await timeline(padId)).saved[0].rev;

    // Delete it and draw another one.
    await page.keyboard.press('v');
    const old = (await sticky(live, 'Old plan').boundingBox())!;
    await page.mouse.click(old.x + old.width / 2, old.y + old.height / 2);
    await page.keyboard.press('Delete');
    await expect.poll(() => sticky(live, 'Old plan').count(), WAIT).toBe(0);
    await addSticky(at(150, 50), 'New plan');
    await saved();
    await expect.poll(async () => (await timeline(padId)).lastRev, WAIT).toBeGreaterThan(savedRev);

    // History opened on the Board tab: the live board is hidden, the latest revision's board shows, read-only.
    await page.getByTestId('history-button').click();
    const shown = page.getByTestId('timeslider-board');
    const info = page.getByTestId('timeslider-info');
    await expect.poll(() => shown.isVisible(), WAIT).toBe(true);
    expect(await live.isHidden()).toBe(true);
    await expect.poll(() => visible(shown, 'New plan'), WAIT).toBe(true);
    expect(await sticky(shown, 'Old plan').count()).toBe(0);
    expect(await shown.getByTestId('board-tool-sticky').isHidden()).toBe(true);
    expect(await shown.getByTestId('board-tool-hand').isVisible()).toBe(true);

    // Drag the slider's thumb back to the saved revision (then settle on it exactly with the arrow keys).
    const { firstRev, lastRev } = await timeline(padId);
    const slider = page.getByTestId('timeslider-slider');
    const box = (await slider.boundingBox())!;
    const thumbX = (rev: number) => box.x + 8 + ((rev - firstRev) / Math.max(1, lastRev - firstRev)) * (box.width - 16);
    await page.mouse.move(thumbX(lastRev), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(thumbX(savedRev), box.y + box.height / 2, { steps: 10 });
    await page.mouse.up();
    for (let i = 0; i < 20 && Number(await slider.inputValue()) !== savedRev; i++) {
      await slider.press(Number(await slider.inputValue()) > savedRev ? 'ArrowLeft' : 'ArrowRight');
    }
    expect(Number(await slider.inputValue())).toBe(savedRev);
    await expect.poll(() => info.innerText(), WAIT).toContain(`Revision ${savedRev} of`);
    await expect.poll(() => visible(shown, 'Old plan'), WAIT).toBe(true);
    expect(await sticky(shown, 'New plan').count()).toBe(0);
    expect(await live.isHidden()).toBe(true);

    // The Notes tab shows the revision's notes (not the live editor); back on Board, the revision's board.
    await page.getByTestId('tab-notes').click();
    await expect.poll(() => page.getByLabel('Revision content').innerText(), WAIT).toContain('Agenda for the board session.');
    expect(await shown.isHidden()).toBe(true);
    expect(await page.locator('#editor').isHidden()).toBe(true);
    await page.getByTestId('tab-board').click();
    await expect.poll(() => visible(shown, 'Old plan'), WAIT).toBe(true);
    expect(await live.isHidden()).toBe(true);

    // Return to live: the live board, editable, with the current stickies.
    await page.getByRole('button', { name: 'Return to live' }).click();
    await expect.poll(() => page.getByTestId('timeslider').count(), WAIT).toBe(0);
    expect(await live.isVisible()).toBe(true);
    await expect.poll(() => visible(live, 'New plan'), WAIT).toBe(true);
    expect(await sticky(live, 'Old plan').count()).toBe(0);
    expect(await live.getByTestId('board-tool-sticky').isVisible()).toBe(true);
    expect(await page.locator('#editor').isHidden()).toBe(true);

    expect(errors).toEqual([]);
  }, 180_000);
});
