/**
 * Pages people land on, in Chromium: an address that cannot be served gets an HTML page that
 * says why and links home (the API keeps JSON); the read-only view names its pad (title, event
 * and team) and says "read-only" once; "Board" is the whiteboard only (the moderators' form
 * is "now and next"); the board's canvas and default ink follow the dark theme. Screenshots in
 * test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { ADMIN_TOKEN, admin } from '../helpers/events.js';
import { padText, statusOf, typeAtEnd, WAIT } from '../helpers/pad-people.js';
import { screenshot } from '../helpers/screenshots.js';

const ADA = { name: 'Ada', color: '#e03131' };

/** Relative luminance of a CSS rgb() colour. */
function luminanceOf(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe.skipIf(skipWithoutBrowser)('pages in Chromium', () => {
  const suite = useBrowserSuite({ env: { ADMIN_TOKEN } });
  let eventSlug = '';

  beforeAll(async () => {
    eventSlug = `ev${randomPadId().replace(/-/g, '')}`;
    const created = await admin(suite.server.baseUrl, 'PUT', `/api/v1/events/${eventSlug}`, {
      name: 'Dalmatian PTG',
      startsOn: new Date().toISOString().slice(0, 10),
      teams: [{ slug: 'nova', name: 'Nova Compute', color: '#0b5394' }],
    });
    expect(created.status).toBe(201);
  }, 90_000);

  it('explains an address that leads nowhere in an HTML page with a way home; the API keeps JSON', async () => {
    const { page, errors } = await suite.open('/', null);
    const cases = [
      { path: '/p/bad!name', status: 400, heading: 'This pad name cannot be used', detail: '"bad!name" is not a valid pad name.' },
      { path: '/nothing/here', status: 404, heading: 'Page not found', detail: 'There is nothing at /nothing/here.' },
      {
        path: `/r/r.${'a'.repeat(26)}`,
        status: 404,
        heading: 'There is no pad here',
        detail: 'This read-only link does not lead to a pad.',
      },
      {
        path: '/p/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
        status: 400,
        heading: 'This pad name cannot be used',
        detail: '"<script>alert(1)</script>" is not a valid pad name.',
      },
    ];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const c of cases) {
        const response = await page.goto(`${suite.server.baseUrl}${c.path}`);
        expect(response?.status(), c.path).toBe(c.status);
        expect(response?.headers()['content-type']).toContain('text/html');
        expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(c.heading);
        expect(await page.locator('main p').first().innerText()).toBe(c.detail);
        expect(await page.title()).toBe(`${c.heading} · Gatherpad`);
        // The escaped name is text, never markup.
        expect(await page.locator('main script').count()).toBe(0);
      }
      await page.goto(`${suite.server.baseUrl}/p/bad!name`);
      await screenshot(page, `not-found-${scheme}`);
    }
    await page.getByRole('link', { name: 'Go to the start page' }).click();
    await page.waitForURL(`${suite.server.baseUrl}/`);

    const api = await page.evaluate(async () => {
      const res = await fetch('/api/v1/pads/bad!name');
      return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
    });
    expect(api).toMatchObject({ status: 400, body: { error: { code: 'invalid_pad_id' } } });
    expect(api.type).toContain('application/json');
    expect(errors).toEqual([]);
  }, 120_000);

  it('names the pad in its read-only view (title, event and team), says read-only once and never the pad id', async () => {
    const padId = `${eventSlug}-nova`;
    const titled = await admin(suite.server.baseUrl, 'PATCH', `/api/v1/events/${eventSlug}/teams/nova/pads/${padId}`, {
      title: 'Nova: unified limits',
    });
    expect(titled.status).toBe(200);
    const ada = await suite.openLive(`/p/${padId}`, ADA);
    await typeAtEnd(ada.page, '# Day one');
    await ada.page.keyboard.press('Enter');
    await ada.page.keyboard.type('Notes from the room.');
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');
    const meta = (await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}`)).json()) as { readOnlyId: string };

    for (const viewport of [
      { width: 1100, height: 800 },
      { width: 390, height: 844 },
    ]) {
      const viewer = await suite.openLive(`/r/${meta.readOnlyId}`, null, { viewport });
      await expect.poll(() => padText(viewer.page), WAIT).toContain('Notes from the room.');
      await expect
        .poll(
          () =>
            viewer.page
              .getByTestId('pad-place')
              .innerText()
              .catch(() => ''),
          WAIT,
        )
        .toBe('Dalmatian PTG · Nova Compute');
      expect(await viewer.page.getByTestId('pad-name').innerText()).toBe('Nova: unified limits');
      expect(await viewer.page.title()).toBe('Nova: unified limits · Gatherpad');
      // Said once: the badge; not the title, a notice, nor the save state.
      const said = await viewer.page.evaluate(() => {
        const parts = [document.querySelector('.pad-header'), ...document.querySelectorAll('.pad-notice, .pad-alert')];
        return (
          parts
            .map((el) => (el instanceof HTMLElement ? el.innerText : ''))
            .join('\n')
            .match(/read-only/gi)?.length ?? 0
        );
      });
      expect(said).toBe(1);
      expect(await viewer.page.getByTestId('readonly-badge').isVisible()).toBe(true);
      expect(await viewer.page.content()).not.toContain(padId);
      await screenshot(viewer.page, `read-only-view-${viewport.width}`);
      expect(viewer.errors).toEqual([]);
    }

    // A pad of no event with no title is named by its first heading.
    const loose = `loose-${randomPadId()}`;
    const grace = await suite.openLive(`/p/${loose}`, ADA);
    await typeAtEnd(grace.page, '# Retro notes');
    await expect.poll(() => statusOf(grace.page, 'save-status'), WAIT).toBe('All changes saved');
    const looseMeta = (await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${loose}`)).json()) as { readOnlyId: string };
    const viewer = await suite.openLive(`/r/${looseMeta.readOnlyId}`, null);
    await expect.poll(() => viewer.page.getByTestId('pad-name').innerText(), WAIT).toBe('Retro notes');
    expect(await viewer.page.getByTestId('pad-place').count()).toBe(0);
    expect([...ada.errors, ...grace.errors, ...viewer.errors]).toEqual([]);
  }, 180_000);

  it('keeps "Board" for the whiteboard: the moderators\' form is about now and next', async () => {
    const { page, errors } = await suite.open(`/e/${eventSlug}`, null);
    await page.getByTestId('team-nova').waitFor({ timeout: WAIT.timeout });
    const form = page.locator('details.moderator');
    await form.locator('summary').click();
    expect(await form.innerText()).not.toMatch(/board/i);
    expect(await form.getByRole('button', { name: 'Save now and next' }).count()).toBe(1);
    // Saved through the form, the team's card shows it as now and next.
    await form.getByLabel('Team').selectOption('nova');
    await form.getByLabel('Now').fill('Unified limits');
    await form.getByLabel('Next (one per line)').fill('Quotas\nPlacement');
    await form.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await form.getByRole('button', { name: 'Save now and next' }).click();
    await expect.poll(() => page.locator('#board-status').innerText(), WAIT).toBe('Saved.');
    await expect
      .poll(() => page.getByTestId('team-nova').innerText(), WAIT)
      .toMatch(/Now: Unified limits\s+Next: Quotas\s+Next: Placement/);
    // Nowhere on the event page is "board" said: the word is the pad's whiteboard's.
    expect(await page.locator('body').innerText()).not.toMatch(/board/i);
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, 'event-now-and-next', { fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);

  it('draws the board on a dark canvas with light ink in the dark theme, stickies unchanged', async () => {
    const padId = `dark-board-${randomPadId()}`;
    const canvasColour = (page: Page) => page.getByTestId('board-canvas').evaluate((el) => getComputedStyle(el).backgroundColor);
    const strokeColour = (page: Page) =>
      page
        .locator('g[data-type="stroke"] path')
        .first()
        .evaluate((el) => getComputedStyle(el).stroke);
    const stickyText = (page: Page) =>
      page
        .locator('g[data-type="sticky"] text')
        .first()
        .evaluate((el) => getComputedStyle(el).fill);

    const ada = await suite.openLive(`/p/${padId}#board`, ADA, { colorScheme: 'dark', viewport: { width: 1100, height: 800 } });
    const canvas = ada.page.getByTestId('board-canvas');
    await canvas.waitFor({ timeout: WAIT.timeout });
    const box = (await canvas.boundingBox())!;
    const at = (dx: number, dy: number) => ({ x: box.x + box.width / 2 + dx, y: box.y + box.height / 2 + dy });
    await ada.page.keyboard.press('d');
    await ada.page.mouse.move(at(-200, 0).x, at(-200, 0).y);
    await ada.page.mouse.down();
    await ada.page.mouse.move(at(-50, 80).x, at(-50, 80).y, { steps: 10 });
    await ada.page.mouse.up();
    await ada.page.keyboard.press('n');
    await ada.page.mouse.click(at(150, 0).x, at(150, 0).y);
    await ada.page.getByTestId('board-text-editor').waitFor({ state: 'visible' });
    await ada.page.keyboard.type('Sticky in the dark');
    await ada.page.keyboard.press('Escape');
    await ada.page.locator('g[data-type="stroke"]').waitFor({ timeout: WAIT.timeout });

    expect(luminanceOf(await canvasColour(ada.page))).toBeLessThan(0.05);
    expect(luminanceOf(await strokeColour(ada.page))).toBeGreaterThan(0.6);
    expect(luminanceOf(await stickyText(ada.page))).toBeLessThan(0.1);
    await screenshot(ada.page, 'board-dark');

    // The theme toggle takes it back to light, at once.
    await ada.page.getByTestId('theme-toggle').click();
    await expect.poll(async () => luminanceOf(await canvasColour(ada.page)), WAIT).toBeGreaterThan(0.9);
    expect(luminanceOf(await strokeColour(ada.page))).toBeLessThan(0.1);
    await screenshot(ada.page, 'board-light');
    expect(ada.errors).toEqual([]);
  }, 120_000);
});
