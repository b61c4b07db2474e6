/**
 * Moving from Etherpad in Chromium: an .etherpad file dropped on the import dialog brings its
 * history into an empty pad (the editor shows it, the toast counts revisions, authors and chat),
 * and Etherpad's timeslider link `/p/<old name>/timeslider#<rev>` opens history at that
 * revision under the pad's new id.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { ADMIN_TOKEN } from '../helpers/events.js';
import { WAIT } from '../helpers/pad-people.js';

const FILE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'etherpad', 'two-authors.etherpad'), 'utf8');

describe.skipIf(skipWithoutBrowser)('Etherpad import and links in Chromium', () => {
  const suite = useBrowserSuite({ env: { ADMIN_TOKEN } });

  it('imports a dropped .etherpad file into an empty pad, history and all', async () => {
    const padId = randomPadId();
    const { page, errors } = await suite.openLive(`/p/${padId}`, { name: 'Importer', color: '#1f77b4' });
    await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('import-open').click();
    // A real drop: a DataTransfer holding the file, dispatched on the dialog's drop zone.
    const dataTransfer = await page.evaluateHandle((content) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], 'nova.etherpad', { type: 'application/json' }));
      return transfer;
    }, FILE);
    await page.getByTestId('import-drop').dispatchEvent('dragover', { dataTransfer });
    await page.getByTestId('import-drop').dispatchEvent('drop', { dataTransfer });
    await expect
      .poll(() => page.getByTestId('import-chosen').innerText(), WAIT)
      .toContain('nova.etherpad: an Etherpad pad with its history');
    await page.getByTestId('import-confirm').click();
    await expect
      .poll(() => page.getByTestId('export-toast').innerText(), WAIT)
      .toBe('Imported from Etherpad: 4 revisions, 2 authors, 2 chat messages (left out: align). History has it all.');
    await expect.poll(() => page.getByLabel('Pad content').innerText(), WAIT).toContain('visit https://example.org now');
    expect(await page.getByLabel('Pad content').locator('h1 strong').innerText()).toBe('Title');

    await page.getByTestId('history-button').click();
    await expect.poll(() => page.getByTestId('timeslider-info').innerText(), WAIT).toMatch(/^Revision 4 of 4 .*Bob/);
    expect(errors).toEqual([]);
  });

  it("opens Etherpad's timeslider link at its revision, under the new id", async () => {
    const res = await fetch(`${suite.server.baseUrl}/api/v1/pads/nova-ptg-moved/import/etherpad?alias=Nova-PTG`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: FILE,
    });
    expect(res.status).toBe(201);
    // Etherpad's revision 1 (Bob's list) is revision 2 here.
    const { page, errors } = await suite.open('/p/Nova-PTG/timeslider#1', { name: 'Reader', color: '#2ca02c' });
    await expect.poll(() => page.getByTestId('timeslider-info').innerText(), WAIT).toMatch(/^Revision 2 of 4 .*Bob/);
    expect(new URL(page.url()).pathname).toBe('/p/nova-ptg-moved');
    expect(errors).toEqual([]);
  });
});
