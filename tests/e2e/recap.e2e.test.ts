/**
 * The recap page and the event page's "what is on now" in real Chromium against the built
 * server: the recap page previews each team's part and copies the whole recap, or one team's,
 * as markdown and as plain text (read back from the clipboard and compared with the API's
 * answers), toggles by-session notes and links its downloads; the event page's Now strip, its
 * marked slot and the teams' "now in Bexar until 16:00" follow a fake clock (page.clock) across
 * slot boundaries; a team card offers its open items from an earlier event; on a phone the
 * schedule scrolls inside its box. axe-core finds no serious or critical issue on either page.
 */
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { ADMIN_TOKEN, admin } from '../helpers/events.js';
import { WAIT } from '../helpers/pad-people.js';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe.skipIf(skipWithoutBrowser)('recap page and what is on now, in Chromium', () => {
  const suite = useBrowserSuite({ env: { ADMIN_TOKEN } });
  const slug = `rcp${randomPadId().replace(/-/g, '').slice(0, 12)}`;
  let seeded = false;

  /** Writes lines as the pad's content (plain text: one paragraph per line). */
  async function writeLines(padId: string, lines: string[]) {
    const res = await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/content`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: lines.join('\n'),
    });
    expect(res.status).toBeLessThan(300);
  }

  async function seed() {
    if (seeded) return;
    seeded = true;
    const base = suite.server.baseUrl;
    expect(
      (
        await admin(base, 'PUT', `/api/v1/events/${slug}old`, {
          name: 'Old PTG',
          startsOn: '2025-10-20',
          teams: [{ slug: 'nova', name: 'Nova' }],
        })
      ).status,
    ).toBe(201);
    await writeLines(`${slug}old-nova`, ['ACTION(gibi): carry me forward', '[x] this one is done']);
    expect(
      (
        await admin(base, 'PUT', `/api/v1/events/${slug}`, {
          name: 'Clock PTG',
          timeZone: 'UTC',
          startsOn: '2026-04-14',
          endsOn: '2026-04-15',
          rooms: ['Austin', 'Bexar'],
          slots: [
            { name: 'am', start: '09:00', end: '12:00' },
            { name: 'pm1', start: '14:00', end: '15:00' },
            { name: 'pm2', start: '15:00', end: '16:00' },
          ],
          teams: [
            { slug: 'nova', name: 'Nova', color: '#0b5394' },
            { slug: 'cinder', name: 'Cinder', color: '#b45f06' },
          ],
          bookings: [
            { room: 'Bexar', day: '2026-04-14', slot: 'pm1', team: 'nova' },
            { room: 'Bexar', day: '2026-04-14', slot: 'pm2', team: 'nova' },
            { room: 'Austin', day: '2026-04-14', slot: 'pm1', team: 'cinder' },
            { room: 'Austin', day: '2026-04-15', slot: 'am', team: 'cinder' },
          ],
        })
      ).status,
    ).toBe(201);
    await writeLines(`${slug}-nova`, [
      'AGREED: keep cell_v2 as it is',
      'ACTION(gibi): write the spec, see https://review.opendev.org/c/1',
      'Notes about [quota] and placement_api',
    ]);
    await writeLines(`${slug}-cinder`, ['TODO(whoami-rajat): test the backup driver', 'QUESTION: keep LVM?']);
  }

  /** A page in its own context that may use the clipboard, with the clock at `time` if given. */
  async function openPage(
    path: string,
    options: { time?: string; viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
  ) {
    const context: BrowserContext = await suite.browser.newContext({
      viewport: options.viewport ?? { width: 1200, height: 900 },
      colorScheme: options.colorScheme,
      bypassCSP: true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.baseUrl });
    // Named, so a pad page opened here does not ask for a name first.
    await context.addInitScript(() => window.localStorage.setItem('gatherpad:user', JSON.stringify({ name: 'Ada', color: '#e03131' })));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    if (options.time) await page.clock.install({ time: new Date(options.time) });
    await page.goto(`${suite.server.baseUrl}${path}`);
    return { context, page, errors };
  }

  const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

  async function seriousViolations(page: Page): Promise<AxeViolation[]> {
    await page.addScriptTag({ path: AXE_PATH });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run()).violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
      }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  it('previews each team and copies the recap as markdown and as plain text', async () => {
    await seed();
    const { context, page, errors } = await openPage(`/e/${slug}/recap`);
    await page.getByTestId('recap-nova').waitFor({ timeout: WAIT.timeout });
    expect(await page.title()).toBe('Recap: Clock PTG · Gatherpad');
    const nova = page.getByTestId('recap-nova');
    expect(await nova.locator('h2').innerText()).toBe('Nova');
    expect(await nova.innerText()).toMatch(/Action items[\s\S]*gibi: write the spec[\s\S]*Decisions[\s\S]*keep cell_v2 as it is/);
    expect(await page.getByTestId('recap-cinder').innerText()).toMatch(
      /whoami-rajat: test the backup driver[\s\S]*Open questions[\s\S]*keep LVM\?/,
    );

    const api = async (path: string) => (await fetch(`${suite.server.baseUrl}/api/v1/events/${slug}/${path}`)).text();
    await page.getByRole('button', { name: 'Copy as markdown', exact: true }).first().click();
    await expect.poll(() => page.locator('#copy-status').innerText(), WAIT).toBe('Copied the recap as markdown.');
    const markdown = await clipboard(page);
    expect(markdown).toBe(await api('recap.md'));
    expect(markdown).toContain('ACTION(gibi): write the spec, see https://review.opendev.org/c/1');
    expect(markdown).toContain('Notes about [quota] and placement_api');

    await page.getByRole('button', { name: 'Copy as plain text (e-mail)' }).click();
    await expect.poll(() => page.locator('#copy-status').innerText(), WAIT).toBe('Copied the recap as plain text.');
    const text = await clipboard(page);
    expect(text).toBe(await api('recap.txt'));
    expect(text).toContain('Nova\n----\n');
    expect(text.split('\n').every((line) => line.length <= 72 || !line.trim().includes(' '))).toBe(true);

    await page.getByRole('button', { name: 'Copy as markdown: Cinder' }).click();
    await expect.poll(() => clipboard(page), WAIT).toBe(await api('recap.md?team=cinder'));
    await page.getByRole('button', { name: 'Copy as plain text: Cinder' }).click();
    await expect.poll(() => clipboard(page), WAIT).toBe(await api('recap.txt?team=cinder'));

    // The by-session toggle asks for notes grouped by session, and the downloads follow it.
    await page.getByLabel('By session (when each line was written)').check();
    await expect.poll(() => page.getByTestId('recap-nova').innerText(), WAIT).toContain('Tuesday 14:00-16:00, room Bexar');
    expect(new URL(page.url()).searchParams.get('by')).toBe('session');
    expect(await page.locator('#download-md').getAttribute('href')).toBe(`/api/v1/events/${slug}/recap.md?by=session&download=1`);
    const download = await fetch(`${suite.server.baseUrl}${await page.locator('#download-txt').getAttribute('href')}`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${slug}-recap-by-session.txt"`);

    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('shows what is on now, and moves on with the clock', async () => {
    await seed();
    const { context, page, errors } = await openPage(`/e/${slug}`, { time: '2026-04-14T14:30:00Z' });
    const strip = page.getByTestId('now-strip');
    await strip.waitFor({ timeout: WAIT.timeout });
    const rooms = () => strip.locator('li').allInnerTexts();
    expect((await rooms()).map((t) => t.replace(/\s+/g, ' '))).toEqual(['Austin Cinder until 15:00', 'Bexar Nova until 16:00']);
    expect(await strip.getByRole('link', { name: 'Nova' }).getAttribute('href')).toBe(`/p/${slug}-nova`);
    expect(await page.getByTestId('where-nova').innerText()).toBe('Now in Bexar until 16:00');
    expect(await page.getByTestId('where-cinder').innerText()).toBe('Now in Austin until 15:00 · next: Wednesday 09:00 in Austin');
    const current = page.getByTestId('current-slot');
    expect(await current.count()).toBe(1);
    expect(await current.locator('th').innerText()).toMatch(/^14:00–15:00\s*now$/);

    // Cinder's slot ends at 15:00; Nova's block runs on to 16:00.
    await page.clock.fastForward('40:00');
    await expect.poll(async () => (await rooms()).map((t) => t.replace(/\s+/g, ' ')), WAIT).toEqual(['Bexar Nova until 16:00']);
    expect(await page.getByTestId('where-cinder').innerText()).toBe('Next: Wednesday 09:00 in Austin');
    expect(await page.getByTestId('current-slot').locator('th').innerText()).toMatch(/^15:00–16:00/);

    // After the last session of the day nothing is on, and nothing else starts today.
    await page.clock.fastForward('01:00:00');
    await expect.poll(() => strip.isVisible(), WAIT).toBe(false);
    expect(await page.getByTestId('current-slot').count()).toBe(0);
    expect(await page.getByTestId('where-nova').isVisible()).toBe(false);

    // The team's card carries its open item from the earlier event, copied as a task.
    const open = page.getByTestId(`open-items-nova-${slug}old`);
    await open.waitFor({ timeout: WAIT.timeout });
    expect(await open.locator('summary').innerText()).toBe('Open from Old PTG: 1 item');
    await open.locator('summary').click();
    await open.getByRole('button', { name: "Copy for the new pad: Nova's 1 item open from Old PTG" }).click();
    await expect.poll(() => clipboard(page), WAIT).toBe('- [ ] gibi: carry me forward\n');
    // The server pushes the event again on every change; an open list and a topic being typed stay.
    const topic = page.getByLabel('New topic pad for Nova');
    await topic.fill('Unified lim');
    expect((await admin(suite.server.baseUrl, 'PUT', `/api/v1/events/${slug}/teams/cinder/board`, { now: 'Backups' })).status).toBe(200);
    await expect.poll(() => page.getByTestId('team-cinder').innerText(), WAIT).toContain('Backups');
    expect(await topic.inputValue()).toBe('Unified lim');
    expect(await topic.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await open.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    // Pasted into the team's new pad, the copied item is a task there.
    const pad = await context.newPage();
    pad.on('pageerror', (error) => errors.push(error.message));
    await pad.goto(`${suite.server.baseUrl}/p/${slug}-nova`);
    const editor = pad.getByLabel('Pad content');
    await editor.waitFor({ timeout: WAIT.timeout });
    await expect.poll(() => pad.getByTestId('connection-status').innerText(), WAIT).toBe('Live');
    await editor.click();
    await pad.keyboard.press('Control+End');
    await pad.keyboard.press('Enter');
    await pad.keyboard.press('Control+V');
    const task = editor.locator('ul[data-type="taskList"] > li');
    await expect.poll(() => task.locator(':scope > div').allInnerTexts(), WAIT).toEqual(['gibi: carry me forward']);
    expect(await task.getAttribute('data-checked')).toBe('false');
    expect(await task.getByRole('checkbox').isChecked()).toBe(false);
    await pad.close();
    // Pads by title or first line, links to the recap.
    expect(await page.getByTestId('team-nova').getByRole('link', { name: 'Recap of Nova' }).getAttribute('href')).toBe(
      `/e/${slug}/recap#recap-nova`,
    );
    expect(await page.locator('#recap-link').getAttribute('href')).toBe(`/e/${slug}/recap`);

    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('on a phone, the schedule scrolls inside its box and the page does not widen', async () => {
    await seed();
    const rooms = Array.from({ length: 8 }, (_, i) => `Room ${i + 1}`);
    expect(
      (
        await admin(suite.server.baseUrl, 'PUT', `/api/v1/events/${slug}wide`, {
          name: 'Wide PTG',
          timeZone: 'UTC',
          startsOn: '2026-04-14',
          rooms,
          slots: [{ name: 'am', start: '09:00', end: '12:00' }],
          teams: rooms.map((_, i) => ({ slug: `team${i}`, name: `Team number ${i}` })),
          bookings: rooms.map((room, i) => ({ room, day: '2026-04-14', slot: 'am', team: `team${i}` })),
        })
      ).status,
    ).toBe(201);
    const { context, page, errors } = await openPage(`/e/${slug}wide`, {
      time: '2026-04-14T10:00:00Z',
      viewport: { width: 390, height: 844 },
    });
    const box = page.locator('.schedule-scroll').first();
    await box.waitFor({ timeout: WAIT.timeout });
    await expect.poll(() => page.locator('#live-status').innerText(), WAIT).toBe('Live');
    const sizes = await box.evaluate((el) => ({
      page: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      box: el.clientWidth,
      content: el.scrollWidth,
    }));
    expect(sizes.page).toBeLessThanOrEqual(sizes.viewport);
    expect(sizes.content).toBeGreaterThan(sizes.box);
    // Scrolled to the last room, the day and the slot times are still in view.
    await box.evaluate((el) => el.scrollBy({ left: 10_000 }));
    const inView = async (selector: string) => {
      const [target, frame] = await Promise.all([page.locator(selector).first().boundingBox(), box.boundingBox()]);
      return target !== null && frame !== null && target.x >= frame.x - 1 && target.x + target.width <= frame.x + frame.width + 1;
    };
    expect(await inView('.schedule-day tbody th')).toBe(true);
    expect(await page.locator('.schedule-day h3').first().isVisible()).toBe(true);
    expect(await inView('.schedule-day tbody td:last-child a')).toBe(true);
    // A change pushed by the server renders the page again; the box stays where it was scrolled.
    expect((await admin(suite.server.baseUrl, 'PUT', `/api/v1/events/${slug}wide/teams/team7/board`, { now: 'Moved on' })).status).toBe(
      200,
    );
    await expect.poll(() => page.getByTestId('team-team7').innerText(), WAIT).toContain('Moved on');
    expect(await inView('.schedule-day tbody td:last-child a')).toBe(true);
    expect(await inView('.schedule-day tbody th')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('has no serious or critical axe-core issue on the recap page in dark mode', async () => {
    await seed();
    const { context, page, errors } = await openPage(`/e/${slug}/recap`, { colorScheme: 'dark' });
    await page.getByTestId('recap-nova').waitFor({ timeout: WAIT.timeout });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
