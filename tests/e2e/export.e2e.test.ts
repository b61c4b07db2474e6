/**
 * The pad page's export menu in Chromium against the built server: each download gives the
 * same bytes as the API, copy puts the markdown on the clipboard, and the import dialog
 * replaces the pad content, which the open editor shows.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { WAIT } from '../helpers/pad-people.js';

describe.skipIf(skipWithoutBrowser)('export menu in Chromium', () => {
  const suite = useBrowserSuite();
  let page: Page;
  let errors: string[] = [];
  const padId = randomPadId();

  // After the suite's own beforeAll: the server and Chromium are up.
  beforeAll(async () => {
    const source = readFileSync(new URL('../fixtures/markdown/14-long-agenda.md', import.meta.url), 'utf8');
    const res = await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/content`, {
      method: 'PUT',
      headers: { 'content-type': 'text/markdown' },
      body: source,
    });
    expect(res.status).toBe(201);
    ({ page, errors } = await suite.open(
      `/p/${padId}`,
      { name: 'Exporter', color: '#1f77b4' },
      { acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] },
    ));
    await page.getByText('Firmware updates').first().waitFor({ timeout: WAIT.timeout });
  }, 90_000);

  for (const ext of ['md', 'html', 'txt']) {
    it(`downloads .${ext} with the same bytes as the API`, async () => {
      await page.getByTestId('export-menu').locator('summary').click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${ext}`).click()]);
      expect(download.suggestedFilename()).toBe(`${padId}.${ext}`);
      const path = await download.path();
      const fromBrowser = readFileSync(path);
      const fromApi = Buffer.from(
        await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/export.${ext}?download=1`)).arrayBuffer(),
      );
      expect(fromBrowser.length).toBeGreaterThan(100);
      expect(fromBrowser.equals(fromApi)).toBe(true);
    });
  }

  it('copies the markdown to the clipboard', async () => {
    await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('export-copy').click();
    await expect.poll(() => page.getByTestId('export-toast').innerText(), WAIT).toContain('copied');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    const api = await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/export.md`)).text();
    expect(clip).toBe(api);
  });

  it('imports pasted markdown after the warning, and the editor shows it', async () => {
    await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('import-open').click();
    const dialog = page.getByTestId('import-dialog');
    await expect.poll(() => dialog.innerText(), WAIT).toContain('replaces the pad content for everyone; the old content stays in history');
    await page.getByLabel('or paste markdown').fill('# Imported\n\n- [ ] a fresh *action* @erin\n');
    await page.getByTestId('import-confirm').click();
    await expect.poll(() => page.getByLabel('Pad content').innerText(), WAIT).toContain('a fresh action @erin');
    await expect.poll(() => page.getByLabel('Pad content').innerText(), WAIT).not.toContain('Firmware updates');
    const md = await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/export.md`)).text();
    expect(md).toBe('# Imported\n\n- [ ] a fresh *action* @erin\n');
    expect(errors).toEqual([]);
  });
});
