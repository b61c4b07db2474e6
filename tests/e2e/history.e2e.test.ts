/**
 * The timeslider in Chromium against the built server: Ada writes a first version, Grace
 * replaces it (a second revision, by another author); Ada drags the slider back and sees the
 * old text read-only, restores it, and Grace sees it live in her own browser context.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { WAIT, type PadUser, type Person } from '../helpers/pad-people.js';

describe.skipIf(skipWithoutBrowser)('history timeslider in Chromium', () => {
  const suite = useBrowserSuite();

  /** The pad, editable and live, as `user`. */
  async function openPad(padId: string, user: PadUser): Promise<Person> {
    const person = await suite.open(`/p/${padId}`, user, { viewport: { width: 1100, height: 900 } });
    await person.page.getByLabel('Pad content').waitFor({ timeout: WAIT.timeout });
    await expect.poll(() => person.page.getByTestId('connection-status').innerText(), WAIT).toBe('Live');
    return person;
  }

  const saved = (page: Page) => expect.poll(() => page.getByTestId('save-status').innerText(), WAIT).toBe('All changes saved');

  it('drags the slider to an old revision, shows its text, restores it, and a second context sees it live', async () => {
    const padId = `e2e-history-${randomPadId()}`;
    const ada = await openPad(padId, { name: 'Ada', color: '#e03131' });
    await ada.page.getByLabel('Pad content').click();
    await ada.page.keyboard.type('First version of the notes.');
    await saved(ada.page);

    const grace = await openPad(padId, { name: 'Grace', color: '#1c7ed6' });
    await expect.poll(() => grace.page.getByLabel('Pad content').innerText(), WAIT).toContain('First version');
    await grace.page.getByLabel('Pad content').click();
    await grace.page.keyboard.press('Control+A');
    await grace.page.keyboard.type('Second version, by Grace.');
    await saved(grace.page);
    await expect.poll(() => ada.page.getByLabel('Pad content').innerText(), WAIT).toContain('Second version');

    await ada.page.getByTestId('history-button').click();
    const viewer = ada.page.getByLabel('Revision content');
    await expect.poll(() => viewer.innerText(), WAIT).toContain('Second version, by Grace.');
    await expect.poll(() => ada.page.getByTestId('timeslider-info').innerText(), WAIT).toContain('Grace');

    // Drag the slider's thumb all the way to the left: the first revision.
    const slider = ada.page.getByTestId('timeslider-slider');
    const box = await slider.boundingBox();
    if (!box) throw new Error('slider not visible');
    await ada.page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
    await ada.page.mouse.down();
    await ada.page.mouse.move(box.x + 1, box.y + box.height / 2, { steps: 10 });
    await ada.page.mouse.up();
    await expect.poll(() => viewer.innerText(), WAIT).toBe('First version of the notes.');
    await expect.poll(() => ada.page.getByTestId('timeslider-info').innerText(), WAIT).toMatch(/Revision 1 of \d+ .*Ada/);

    await ada.page.getByRole('button', { name: 'Restore this revision' }).click();
    await ada.page.getByTestId('restore-dialog').getByRole('button', { name: 'Restore' }).click();
    // innerText may include a collaborator's caret label after the text.
    await expect.poll(() => grace.page.getByLabel('Pad content').innerText(), WAIT).toMatch(/^First version of the notes\.(\nAda)?\s*$/);

    await ada.page.getByRole('button', { name: 'Return to live' }).click();
    await expect.poll(() => ada.page.getByLabel('Pad content').innerText(), WAIT).toMatch(/^First version of the notes\.(\nGrace)?\s*$/);
    expect([...ada.errors, ...grace.errors]).toEqual([]);
  }, 180_000);
});
