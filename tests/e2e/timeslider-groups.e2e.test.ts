/**
 * The timeslider's timeline in Chromium: two people type in bursts with pauses between, making
 * many revisions; History lists them grouped at the longest pauses, "Zoom in" splits at shorter
 * ones down to single revisions, picking a group shows its whole change, and "Compare two
 * revisions" diffs any two revisions picked on the timeline. The server groups revisions of a
 * 400 ms window (REVISION_WINDOW_MS) so that a short test makes many. Screenshots in
 * test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { padText, statusOf, WAIT, type Person } from '../helpers/pad-people.js';
import { screenshot } from '../helpers/screenshots.js';

/** A person stopping to listen: the pauses are what the timeline groups by, so real time passes. */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The timeline's groups as [firstRev, lastRev]. */
function groups(page: Page): Promise<[number, number][]> {
  return page
    .locator('.timeline-groups__group')
    .evaluateAll((buttons) =>
      buttons.map((b) => [Number((b as HTMLElement).dataset.firstRev), Number((b as HTMLElement).dataset.lastRev)] as [number, number]),
    );
}

describe.skipIf(skipWithoutBrowser)('timeslider timeline in Chromium', () => {
  const suite = useBrowserSuite({ env: { REVISION_WINDOW_MS: '400' } });

  it('groups revisions by pauses, zooms down to single revisions, and diffs any two picked on the timeline', async () => {
    const padId = `timeline-${randomPadId()}`;
    const ada = await suite.openLive(`/p/${padId}`, { name: 'Ada', color: '#e03131' }, { viewport: { width: 1100, height: 1000 } });
    const grace = await suite.openLive(`/p/${padId}`, { name: 'Grace', color: '#1c7ed6' });
    const burst = async (person: Person, words: string) => {
      await person.page.getByLabel('Pad content').click();
      await person.page.keyboard.press('Control+End');
      // At typing speed: several revisions of 400 ms each.
      await person.page.keyboard.type(words, { delay: 40 });
      await person.page.keyboard.press('Enter');
      await expect.poll(() => statusOf(person.page, 'save-status'), WAIT).toBe('All changes saved');
    };
    // Three sessions with long pauses between; within each, short pauses between bursts.
    const sessions = [
      ['Ada: agenda for the morning', 'Grace: placement first'],
      ['Ada: quotas discussion', 'Grace: unified limits agreed', 'Ada: action items'],
      ['Grace: wrap up and photos'],
    ];
    for (const [s, session] of sessions.entries()) {
      if (s > 0) await pause(2500);
      for (const [i, line] of session.entries()) {
        if (i > 0) await pause(700);
        const person = line.startsWith('Ada') ? ada : grace;
        await burst(person, line);
        await expect.poll(() => padText(person === ada ? grace.page : ada.page), WAIT).toContain(line);
      }
    }

    const { page } = ada;
    await page.getByTestId('history-button').click();
    await page.getByTestId('timeline-group-list').waitFor({ timeout: WAIT.timeout });
    const lastRev = Number((await page.getByTestId('timeslider-slider').getAttribute('max')) ?? 0);
    expect(lastRev).toBeGreaterThan(6);

    // Coarsest: a few groups that cover revisions 1..last in order, without gaps.
    await expect.poll(async () => (await groups(page)).length, WAIT).toBeGreaterThan(1);
    const coarse = await groups(page);
    expect(coarse.length).toBeLessThan(lastRev);
    expect(coarse[0][0]).toBe(1);
    expect(coarse[coarse.length - 1][1]).toBe(lastRev);
    for (let i = 1; i < coarse.length; i += 1) expect(coarse[i][0]).toBe(coarse[i - 1][1] + 1);
    expect(await page.getByTestId('timeline-level').innerText()).toMatch(/groups, split at pauses of .+ or more/);
    await screenshot(page, 'timeline-coarse');

    // Zoom in until single revisions; each step has more groups. A pad has a few zoom levels
    // (revision-groups.ts): both walks stop after MAX_ZOOM_STEPS clicks or ZOOM_WALK_MS, whichever
    // comes first, and then check that they got to the end.
    const MAX_ZOOM_STEPS = 10;
    const ZOOM_WALK_MS = 90_000;
    const zoomIn = page.getByTestId('timeline-zoom-in');
    const zoomOut = page.getByTestId('timeline-zoom-out');
    let previous = coarse.length;
    const zoomInUntil = Date.now() + ZOOM_WALK_MS;
    for (let step = 0; step < MAX_ZOOM_STEPS && Date.now() < zoomInUntil && (await zoomIn.isEnabled()); step += 1) {
      await zoomIn.click();
      await expect.poll(async () => (await groups(page)).length, WAIT).toBeGreaterThan(previous);
      previous = (await groups(page)).length;
    }
    expect(await zoomIn.isEnabled(), 'zoom in reaches single revisions').toBe(false);
    expect(await groups(page)).toEqual(Array.from({ length: lastRev }, (_, i) => [i + 1, i + 1]));
    expect(await page.getByTestId('timeline-level').innerText()).toBe(`${lastRev} single revisions`);

    // Zoom out to the coarsest again; picking a group in "Changes" shows its whole change.
    const zoomOutUntil = Date.now() + ZOOM_WALK_MS;
    for (let step = 0; step < MAX_ZOOM_STEPS && Date.now() < zoomOutUntil && (await zoomOut.isEnabled()); step += 1) {
      const count = (await groups(page)).length;
      await zoomOut.click();
      await expect.poll(async () => (await groups(page)).length, WAIT).toBeLessThan(count);
    }
    expect(await zoomOut.isEnabled(), 'zoom out reaches the coarsest level').toBe(false);
    expect(await groups(page)).toEqual(coarse);
    await page.getByTestId('timeslider-view').selectOption('diff');
    const diff = page.getByTestId('timeslider-diff');
    const last = coarse[coarse.length - 1];
    await page.locator('.timeline-groups__group').last().click();
    await expect
      .poll(async () => [await diff.getAttribute('data-from'), await diff.getAttribute('data-to')], WAIT)
      .toEqual([String(last[0] - 1), String(last[1])]);
    await expect
      .poll(
        () =>
          diff
            .locator('ins')
            .allInnerTexts()
            .then((t) => t.join('')),
        WAIT,
      )
      .toContain('wrap up and photos');

    // Compare: pick the first group's end and the last group's end on the timeline.
    await page.getByTestId('timeslider-view').selectOption('compare');
    await page.locator('.timeline-groups__group').first().click();
    await page.locator('.timeline-groups__group').last().click();
    expect(await page.getByTestId('compare-from').inputValue()).toBe(String(coarse[0][1]));
    expect(await page.getByTestId('compare-to').inputValue()).toBe(String(lastRev));
    await expect.poll(() => diff.getAttribute('data-from'), WAIT).toBe(String(coarse[0][1]));
    await expect
      .poll(
        () =>
          diff
            .locator('ins')
            .allInnerTexts()
            .then((t) => t.join('')),
        WAIT,
      )
      .toContain('quotas discussion');
    const inserted = (await diff.locator('ins').allInnerTexts()).join('');
    expect(inserted).toContain('wrap up and photos');
    expect(inserted).not.toContain('agenda for the morning');
    expect(await page.locator('.timeline-groups__group[aria-pressed="true"]').count()).toBe(2);
    await screenshot(page, 'timeline-compare');

    // Any two single revisions, typed in: from the last back to the one before is the last change.
    await page.getByTestId('compare-from').fill(String(lastRev - 1));
    await page.getByTestId('compare-from').press('Tab');
    await expect.poll(() => diff.getAttribute('data-from'), WAIT).toBe(String(lastRev - 1));
    expect([...ada.errors, ...grace.errors]).toEqual([]);
  }, 240_000);
});
