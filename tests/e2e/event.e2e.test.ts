/**
 * The event page in real Chromium against the built server: it shows the teams, their pads and
 * the schedule; the live count of a team pad rises when a second browser context opens the pad
 * (pushed over server-sent events), the pad links back to its event, and search finds what
 * was typed there, highlighted. An unknown event says how one is set up instead of showing
 * empty sections.
 */
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { ADMIN_TOKEN, admin } from '../helpers/events.js';
import { WAIT, type Person } from '../helpers/pad-people.js';

describe.skipIf(skipWithoutBrowser)('event page in Chromium', () => {
  const suite = useBrowserSuite({ env: { ADMIN_TOKEN } });
  const open = (path: string): Promise<Person> =>
    suite.open(path, { name: 'Ada', color: '#e03131' }, { viewport: { width: 1200, height: 900 } });

  it('shows the teams and a live count that rises when someone opens a team pad', async () => {
    const slug = `ev${randomPadId().replace(/-/g, '')}`;
    const today = new Date().toISOString().slice(0, 10);
    const created = await admin(suite.server.baseUrl, 'PUT', `/api/v1/events/${slug}`, {
      name: 'Browser PTG',
      startsOn: today,
      rooms: ['Austin', 'Bexar'],
      slots: [{ name: 'am', start: '09:00', end: '12:00' }],
      teams: [
        { slug: 'nova', name: 'Nova', color: '#0b5394', now: 'Unified limits' },
        { slug: 'cinder', name: 'Cinder' },
      ],
      bookings: [{ room: 'Bexar', day: today, slot: 'am', team: 'cinder' }],
    });
    expect(created.status).toBe(201);

    const viewer = await open(`/e/${slug}`);
    const { page } = viewer;
    await page.getByTestId('team-nova').waitFor({ timeout: WAIT.timeout });
    expect(await page.getByTestId('teams').innerText()).toMatch(/Nova[\s\S]*Unified limits[\s\S]*Cinder/);
    expect(await page.locator('#schedule').innerText()).toContain('Cinder');
    expect(await page.title()).toBe('Browser PTG · Gatherpad');
    const badge = page.getByTestId(`live-${slug}-nova`);
    await expect.poll(() => badge.getAttribute('data-count'), WAIT).toBe('0');
    await expect.poll(() => page.locator('#live-status').innerText(), WAIT).toBe('Live');

    const editor = await open(`/p/${slug}-nova`);
    await editor.page.getByLabel('Pad content').waitFor({ timeout: WAIT.timeout });
    // The team's pad links back to its event.
    const place = editor.page.getByTestId('pad-place');
    await expect.poll(() => place.innerText(), WAIT).toBe('Browser PTG · Nova');
    expect(await place.getAttribute('href')).toBe(`/e/${slug}`);
    await expect.poll(() => badge.getAttribute('data-count'), WAIT).toBe('1');
    expect(await badge.innerText()).toBe('1 here now');

    // What is typed there becomes searchable from the event page within seconds.
    await editor.page.getByLabel('Pad content').click();
    await editor.page.keyboard.type('We agreed on the kumquat scheduler.');
    await expect
      .poll(async () => {
        await page.locator('#search-input').fill('kumquat');
        await page.locator('#search-form button').click();
        return page.getByTestId('search-results').locator('mark').allInnerTexts();
      }, WAIT)
      .toEqual(['kumquat']);

    await editor.page.context().close();
    await expect.poll(() => badge.getAttribute('data-count'), WAIT).toBe('0');
    expect([...viewer.errors, ...editor.errors]).toEqual([]);
  }, 180_000);

  it('says how an event comes to exist when there is none by that name, without its empty sections', async () => {
    const slug = `none${randomPadId().replace(/-/g, '')}`;
    const { page, errors } = await open(`/e/${slug}`);
    await expect.poll(() => page.locator('#event-name').innerText(), WAIT).toBe('Event not found');
    expect(await page.locator('#event-error').innerText()).toBe(`No event named "${slug}".`);
    expect(await page.title()).toBe('Event not found · Gatherpad');
    for (const part of ['#search-heading', '#teams-heading', '#schedule-heading', '.moderator', '#live-status']) {
      expect(await page.locator(part).isVisible()).toBe(false);
    }
    expect(await page.locator('#event-missing').innerText()).toContain('PUT /api/v1/events/<name>');
    await page.getByRole('link', { name: 'Open or start a pad' }).click();
    await page.waitForURL(`${suite.server.baseUrl}/`, { timeout: WAIT.timeout });
    expect(errors).toEqual([]);
  }, 180_000);

  it('lists events on the home page', async () => {
    const { page, errors } = await open('/');
    await page.getByTestId('events-list').waitFor({ timeout: WAIT.timeout });
    expect(await page.getByTestId('events-list').innerText()).toContain('Browser PTG');
    expect(errors).toEqual([]);
  }, 60_000);
});
