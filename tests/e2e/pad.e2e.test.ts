/**
 * Two people on one pad in real Chromium against the built server: text and carets travel
 * both ways, the save status reaches "All changes saved", and the content outlives a reload
 * (and is on the server, not only in IndexedDB) without being duplicated.
 */
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { padText, statusOf, typeAtEnd, WAIT, type PadUser, type Person } from '../helpers/pad-people.js';

describe.skipIf(skipWithoutBrowser)('pad page in Chromium', () => {
  const suite = useBrowserSuite();

  /** The pad as `user`, once its editor is on the page. */
  async function openPad(padId: string, user: PadUser): Promise<Person> {
    const person = await suite.open(`/p/${padId}`, user);
    await person.page.getByLabel('Pad content').waitFor({ timeout: WAIT.timeout });
    return person;
  }

  it('syncs text and carets between two people and keeps the content', async () => {
    const padId = `e2e-${randomPadId()}`;
    const ada = await openPad(padId, { name: 'Ada', color: '#e03131' });
    const grace = await openPad(padId, { name: 'Grace', color: '#1c7ed6' });

    for (const person of [ada, grace]) {
      await expect.poll(() => statusOf(person.page, 'connection-status'), WAIT).toBe('Live');
      expect(await person.page.title()).toBe(`${padId} · Gatherpad`);
    }

    await typeAtEnd(ada.page, 'Hello from Ada');
    await expect.poll(() => padText(grace.page), WAIT).toContain('Hello from Ada');

    await typeAtEnd(grace.page, ' and Grace');
    await expect.poll(() => padText(ada.page), WAIT).toContain('Hello from Ada and Grace');

    await ada.page.locator('.collaboration-carets__label', { hasText: 'Grace' }).waitFor({ state: 'visible', timeout: WAIT.timeout });
    await expect.poll(() => ada.page.getByTestId('presence-list').innerText(), WAIT).toMatch(/Ada[\s\S]*Grace/);

    for (const person of [ada, grace]) {
      await expect.poll(() => statusOf(person.page, 'save-status'), WAIT).toBe('All changes saved');
    }

    await ada.page.reload();
    await expect.poll(() => statusOf(ada.page, 'connection-status'), WAIT).toBe('Live');
    await expect.poll(() => padText(ada.page), WAIT).toContain('Hello from Ada and Grace');
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');
    // The server owns initial content: a reload must never add a second copy.
    expect((await padText(ada.page)).split('Hello from Ada').length - 1).toBe(1);

    // A browser with empty IndexedDB gets the content from the server alone.
    const newcomer = await openPad(padId, { name: 'Linus', color: '#2f9e44' });
    await expect.poll(() => padText(newcomer.page), WAIT).toContain('Hello from Ada and Grace');

    expect([...ada.errors, ...grace.errors, ...newcomer.errors]).toEqual([]);
  }, 180_000);
});
