/**
 * Live authorship colours in Chromium: two people type, each sees every run of text shaded in
 * its author's colour (from the Yjs items' client ids and the server's client -> author map),
 * live as the other types; hovering a run names its author; text over the shades keeps WCAG AA
 * contrast in the light and the dark theme; the shading changes nothing in the document; it is
 * off by default on a phone, and a read-only viewer can turn it on. Screenshots in
 * test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { lowestContrast } from '../helpers/contrast.js';
import { padText, statusOf, typeAtEnd, WAIT } from '../helpers/pad-people.js';
import { screenshot } from '../helpers/screenshots.js';

const ADA = { name: 'Ada', color: '#e03131' };
const GRACE = { name: 'Grace', color: '#1c7ed6' };

/** Text of the shaded runs by author name, in document order. */
function shadedText(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const byAuthor: Record<string, string> = {};
    for (const run of document.querySelectorAll('.pad-content .author-run')) {
      const name = run.getAttribute('data-author') ?? '?';
      byAuthor[name] = (byAuthor[name] ?? '') + (run.textContent ?? '');
    }
    return byAuthor;
  });
}

const shadeOf = (page: Page, author: string) =>
  page
    .locator(`.pad-content .author-run[data-author="${author}"]`)
    .first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);

describe.skipIf(skipWithoutBrowser)('live authorship colours in Chromium', () => {
  const suite = useBrowserSuite();

  it("shades each person's text live, names them on hover, keeps AA contrast in both themes and leaves the document alone", async () => {
    const padId = `authors-${randomPadId()}`;
    const ada = await suite.openLive(`/p/${padId}`, ADA, { colorScheme: 'light' });
    const grace = await suite.openLive(`/p/${padId}`, GRACE, { colorScheme: 'light' });
    expect(await ada.page.getByTestId('authorship-toggle').getAttribute('aria-pressed')).toBe('true');

    await typeAtEnd(ada.page, '# Nova notes');
    await ada.page.keyboard.press('Enter');
    await ada.page.keyboard.type('Ada opened the session. ');
    await expect.poll(() => padText(grace.page), WAIT).toContain('Ada opened the session.');
    await typeAtEnd(grace.page, 'Grace adds a point, see [the spec](example.org/spec) for it.');
    await grace.page.keyboard.press('Enter');
    await grace.page.keyboard.type('> A quote from Grace');

    // Each sees both people's runs, attributed correctly, as they arrive.
    for (const person of [ada, grace]) {
      await expect
        .poll(() => shadedText(person.page), WAIT)
        .toEqual({
          Ada: 'Nova notesAda opened the session. ',
          Grace: 'Grace adds a point, see the spec for it.A quote from Grace',
        });
    }
    expect(await shadeOf(ada.page, 'Ada')).not.toBe(await shadeOf(ada.page, 'Grace'));

    // Live: a new keystroke of Grace's is shaded in Ada's view without a reload.
    await grace.page.keyboard.type(' More.');
    await expect.poll(async () => (await shadedText(ada.page)).Grace, WAIT).toContain('A quote from Grace More.');

    // Hovering a run names its author.
    await ada.page.locator('.author-run[data-author="Grace"]', { hasText: 'Grace adds' }).hover();
    await expect.poll(() => ada.page.getByTestId('author-tooltip').isVisible(), WAIT).toBe(true);
    expect(await ada.page.getByTestId('author-tooltip').innerText()).toBe('Grace');
    await screenshot(ada.page, 'authorship-light');

    // AA contrast for text, links and quotes over every shade, in light and then dark.
    const runs = ada.page.locator('.pad-content .author-run');
    const light = await lowestContrast(runs);
    expect(light.ratio, JSON.stringify(light)).toBeGreaterThanOrEqual(4.5);
    await ada.page.getByTestId('theme-toggle').click();
    await expect.poll(() => ada.page.evaluate(() => document.documentElement.dataset.theme), WAIT).toBe('dark');
    const dark = await lowestContrast(runs);
    expect(dark.ratio, JSON.stringify(dark)).toBeGreaterThanOrEqual(4.5);
    expect(dark.background).not.toBe(light.background);
    await ada.page.mouse.move(1, 1);
    await screenshot(ada.page, 'authorship-dark');

    // Decorations only: turning the shading off and on again writes nothing to the pad.
    for (const person of [ada, grace]) await expect.poll(() => statusOf(person.page, 'save-status'), WAIT).toBe('All changes saved');
    const updates = async () =>
      ((await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}`)).json()) as { updates: number }).updates;
    const before = await updates();
    await ada.page.getByTestId('authorship-toggle').click();
    expect(await ada.page.getByTestId('authorship-toggle').getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => ada.page.locator('.author-run').count(), WAIT).toBe(0);
    await ada.page.getByTestId('authorship-toggle').click();
    await expect.poll(() => ada.page.locator('.author-run').count(), WAIT).toBeGreaterThan(0);
    expect(await updates()).toBe(before);
    const html = await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/export.html`)).text();
    expect(html).not.toContain('author-run');
    // The choice is remembered.
    await ada.page.getByTestId('authorship-toggle').click();
    await ada.page.reload();
    await expect.poll(() => statusOf(ada.page, 'connection-status'), WAIT).toBe('Live');
    expect(await ada.page.getByTestId('authorship-toggle').getAttribute('aria-pressed')).toBe('false');
    expect(await ada.page.locator('.author-run').count()).toBe(0);
    expect([...ada.errors, ...grace.errors]).toEqual([]);
  }, 180_000);

  it("is off by default on a phone (a press turns it on) and shades a read-only viewer's page too", async () => {
    const padId = `authors-phone-${randomPadId()}`;
    const ada = await suite.openLive(`/p/${padId}`, ADA);
    await typeAtEnd(ada.page, 'Written by Ada on a laptop.');
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');

    const phone = await suite.openLive(`/p/${padId}`, GRACE, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await expect.poll(() => padText(phone.page), WAIT).toContain('Written by Ada');
    expect(await phone.page.getByTestId('authorship-toggle').getAttribute('aria-pressed')).toBe('false');
    expect(await phone.page.locator('.author-run').count()).toBe(0);
    await phone.page.getByTestId('authorship-toggle').click();
    await expect.poll(() => shadedText(phone.page), WAIT).toEqual({ Ada: 'Written by Ada on a laptop.' });
    await screenshot(phone.page, 'authorship-phone-390');

    const meta = (await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}`)).json()) as { readOnlyId: string };
    const viewer = await suite.openLive(`/r/${meta.readOnlyId}`, { name: 'Viewer', color: '#2f9e44' });
    await expect.poll(() => shadedText(viewer.page), WAIT).toEqual({ Ada: 'Written by Ada on a laptop.' });
    expect([...ada.errors, ...phone.errors, ...viewer.errors]).toEqual([]);
  }, 180_000);
});
