/**
 * Read-only links and edit keys in Chromium. A viewer on `/r/<readOnlyId>` sees live changes,
 * cannot type, sees no toolbar, and the page never contains the writable pad id (not in the
 * DOM, the title, the address, nor any request it makes); an empty pad tells them nothing is
 * written yet. A pad with an edit key is read-only
 * until the key is entered in the dialog; then it is editable and the key is remembered. Its
 * board follows the same answer: no drawing tools without the key, a sticky saved with it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { padText, statusOf, typeAtEnd, WAIT, type Person } from '../helpers/pad-people.js';

const ADMIN_TOKEN = 'admin-token-for-readonly-e2e';

describe.skipIf(skipWithoutBrowser)('read-only links and edit keys in Chromium', () => {
  const suite = useBrowserSuite({ env: { ADMIN_TOKEN } });
  const open = (path: string, name: string): Promise<Person> => suite.openLive(path, { name, color: '#1c7ed6' });

  it('shows a viewer live changes, refuses their typing, and never reveals the pad id', async () => {
    const { server } = suite;
    const padId = `ro-${randomPadId()}`;
    const ada = await open(`/p/${padId}`, 'Ada');
    await typeAtEnd(ada.page, 'First line from Ada');
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');

    const meta = (await (await fetch(`${server.baseUrl}/api/v1/pads/${padId}`)).json()) as { readOnlyId: string };
    expect(meta.readOnlyId).toMatch(/^r\.[a-z2-7]{26}$/);

    const requests: string[] = [];
    const viewer = await suite.open(`/r/${meta.readOnlyId}`, { name: 'Viewer', color: '#2f9e44' });
    viewer.page.on('request', (request) => requests.push(request.url()));
    await expect.poll(() => statusOf(viewer.page, 'connection-status'), WAIT).toBe('Live');
    await expect.poll(() => padText(viewer.page), WAIT).toContain('First line from Ada');
    await expect.poll(() => viewer.page.getByTestId('readonly-badge').isVisible(), WAIT).toBe(true);
    // The badge says it; the save state would only repeat it.
    expect(await viewer.page.getByTestId('save-status').isVisible()).toBe(false);
    expect(await viewer.page.locator('#toolbar').isVisible()).toBe(false);
    expect(await viewer.page.getByLabel('Pad content').getAttribute('contenteditable')).toBe('false');

    // Live: Ada types, the viewer sees it.
    await typeAtEnd(ada.page, ' and a second thought');
    await expect.poll(() => padText(viewer.page), WAIT).toContain('and a second thought');

    // Typing does nothing; the chat is read-only for viewers.
    await viewer.page.getByLabel('Pad content').click();
    await viewer.page.keyboard.type('VIEWER WAS HERE');
    expect(await padText(viewer.page)).not.toContain('VIEWER WAS HERE');
    if (!(await viewer.page.getByTestId('chat-panel').isVisible())) await viewer.page.getByTestId('chat-toggle').click();
    expect(await viewer.page.locator('#chat-input').isVisible()).toBe(false);
    expect(await viewer.page.locator('.chat__readonly').isVisible()).toBe(true);

    // The share dialog offers the read-only link and embed, never an edit link.
    await viewer.page.getByTestId('share-open').click();
    await expect
      .poll(() => viewer.page.getByTestId('share-readonly-link').inputValue(), WAIT)
      .toBe(`${server.baseUrl}/r/${meta.readOnlyId}`);
    expect(await viewer.page.getByTestId('share-edit-link').count()).toBe(0);
    expect(await viewer.page.getByTestId('share-embed').inputValue()).toContain(`<iframe src="${server.baseUrl}/r/${meta.readOnlyId}"`);
    await viewer.page.getByRole('button', { name: 'Done' }).click();

    // Read-only views may be embedded elsewhere (the snippet); edit pages may not.
    const roHeaders = (await fetch(`${server.baseUrl}/r/${meta.readOnlyId}`)).headers;
    expect(roHeaders.get('content-security-policy')).toMatch(/frame-ancestors \*/);
    expect(roHeaders.get('x-frame-options')).toBeNull();
    expect((await fetch(`${server.baseUrl}/p/${padId}`)).headers.get('content-security-policy')).toMatch(/frame-ancestors 'self'/);

    // The markdown export works under the read-only id.
    const md = await viewer.page.evaluate(async (id) => (await fetch(`/api/v1/pads/${id}/export.md`)).text(), meta.readOnlyId);
    expect(md).toContain('First line from Ada');

    // Never the pad id: not in the page, the title, the address, or any request.
    const html = await viewer.page.content();
    expect(html).not.toContain(padId);
    expect(await viewer.page.title()).not.toContain(padId);
    expect(viewer.page.url()).not.toContain(padId);
    expect(requests.filter((url) => url.includes(padId))).toEqual([]);
    expect(md).not.toContain(padId);

    // And Ada's pad never got the viewer's text.
    const stored = await (await fetch(`${server.baseUrl}/api/v1/pads/${padId}/export.md`)).text();
    expect(stored).not.toContain('VIEWER WAS HERE');
    expect([...ada.errors, ...viewer.errors]).toEqual([]);
  }, 180_000);

  it('tells a viewer of an empty pad that nothing is written yet, and a writer how to start', async () => {
    const padId = `ro-${randomPadId()}`;
    const ada = await open(`/p/${padId}`, 'Ada');
    const placeholder = (person: Person) =>
      person.page.locator('.is-editor-empty').getAttribute('data-placeholder', { timeout: WAIT.timeout });
    expect(await placeholder(ada)).toContain('Start typing your notes');
    // A pad is stored, with its read-only id, by its first write; emptied again, it is an empty pad.
    expect((await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}`)).status).toBe(404);
    await typeAtEnd(ada.page, 'x');
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');
    await ada.page.keyboard.press('Backspace');
    await expect.poll(() => ada.page.locator('.is-editor-empty').count(), WAIT).toBe(1);
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');

    const meta = (await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}`)).json()) as { readOnlyId: string };
    const viewer = await suite.open(`/r/${meta.readOnlyId}`, { name: 'Viewer', color: '#2f9e44' });
    await expect.poll(() => statusOf(viewer.page, 'connection-status'), WAIT).toBe('Live');
    expect(await placeholder(viewer)).toBe('Nothing is written on this pad yet. What others write appears here live.');
    expect(await viewer.page.locator('.is-editor-empty').isVisible()).toBe(true);

    await typeAtEnd(ada.page, 'Now there is something');
    await expect.poll(() => padText(viewer.page), WAIT).toContain('Now there is something');
    expect(await viewer.page.locator('.is-editor-empty').count()).toBe(0);
    expect([...ada.errors, ...viewer.errors]).toEqual([]);
  }, 180_000);

  async function padWithEditKey(prefix: string): Promise<string> {
    const padId = `${prefix}-${randomPadId()}`;
    const put = await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/edit-key`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: 'open-sesame' }),
    });
    expect(put.status).toBe(204);
    return padId;
  }

  async function enterEditKey(page: Page, key: string): Promise<void> {
    await page.getByTestId('edit-key-open').click();
    await page.getByRole('textbox', { name: 'Edit key' }).fill(key);
    await page.getByRole('button', { name: 'Unlock editing' }).click();
  }

  it('keeps a pad with an edit key read-only until the key is entered', async () => {
    const { server } = suite;
    const padId = await padWithEditKey('key');

    const grace = await open(`/p/${padId}`, 'Grace');
    await expect
      .poll(() => grace.page.getByTestId('pad-notice').innerText(), WAIT)
      .toContain('This pad needs an edit key to make changes.');
    expect(await grace.page.getByTestId('readonly-badge').isVisible()).toBe(true);
    expect(await grace.page.getByLabel('Pad content').getAttribute('contenteditable')).toBe('false');

    // A wrong key first: the dialog says so.
    await enterEditKey(grace.page, 'wrong-key');
    await expect.poll(() => grace.page.getByTestId('pad-notice').innerText(), WAIT).toContain('That edit key is not correct for this pad.');
    expect(await grace.page.evaluate((id) => localStorage.getItem(`gatherpad:editkey:${id}`), padId)).toBeNull();

    await grace.page.getByTestId('edit-key-open').click();
    await expect.poll(() => grace.page.getByTestId('edit-key-dialog').innerText(), WAIT).toContain('not correct');
    await grace.page.getByRole('textbox', { name: 'Edit key' }).fill('open-sesame');
    await grace.page.getByRole('button', { name: 'Unlock editing' }).click();
    await expect.poll(() => grace.page.getByLabel('Pad content').getAttribute('contenteditable'), WAIT).toBe('true');
    await expect.poll(() => grace.page.getByTestId('pad-notice').isVisible(), WAIT).toBe(false);
    await typeAtEnd(grace.page, 'Unlocked by Grace');
    await expect.poll(() => statusOf(grace.page, 'save-status'), WAIT).toBe('All changes saved');
    const stored = await (await fetch(`${server.baseUrl}/api/v1/pads/${padId}/export.md`)).text();
    expect(stored).toContain('Unlocked by Grace');

    // Remembered on this device: a reload is editable straight away.
    await grace.page.reload();
    await expect.poll(() => statusOf(grace.page, 'connection-status'), WAIT).toBe('Live');
    await expect.poll(() => grace.page.getByLabel('Pad content').getAttribute('contenteditable'), WAIT).toBe('true');
    expect(await grace.page.getByTestId('readonly-badge').isVisible()).toBe(false);
    expect(grace.errors).toEqual([]);
  }, 180_000);

  it('keeps the board of a pad with an edit key view-only until the key is entered', async () => {
    const padId = await padWithEditKey('key-board');
    const grace = await suite.openLive(`/p/${padId}`, { name: 'Grace', color: '#1c7ed6' }, { viewport: { width: 1200, height: 850 } });
    await expect.poll(() => grace.page.getByTestId('readonly-badge').isVisible(), WAIT).toBe(true);
    await grace.page.getByTestId('tab-board').click();
    const canvas = grace.page.getByTestId('board-canvas');
    await canvas.waitFor({ timeout: WAIT.timeout });
    const box = (await canvas.boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };

    // Without the key: no drawing tools, and the sticky shortcut puts nothing on the board.
    await expect.poll(() => grace.page.getByTestId('board-tool-sticky').isHidden(), WAIT).toBe(true);
    await grace.page.keyboard.press('n');
    await grace.page.mouse.click(centre.x, centre.y);
    expect(await grace.page.getByTestId('board-text-editor').isVisible()).toBe(false);
    expect(await grace.page.locator('g[data-type="sticky"]').count()).toBe(0);
    // Nothing was written, so nothing is left "Not saved" on this device.
    expect(await grace.page.getByTestId('save-status').getAttribute('class')).not.toContain('save-status--not-saved');

    // With the key: the tools come back and a sticky reaches the server.
    await enterEditKey(grace.page, 'open-sesame');
    await expect.poll(() => grace.page.getByTestId('board-tool-sticky').isVisible(), WAIT).toBe(true);
    await grace.page.getByTestId('board-tool-sticky').click();
    await grace.page.mouse.click(centre.x, centre.y);
    const textEditor = grace.page.getByTestId('board-text-editor');
    await textEditor.waitFor({ state: 'visible', timeout: WAIT.timeout });
    await grace.page.keyboard.type('Unlocked sticky');
    await grace.page.keyboard.press('Escape');
    await textEditor.waitFor({ state: 'hidden', timeout: WAIT.timeout });
    await expect.poll(() => statusOf(grace.page, 'save-status'), WAIT).toBe('All changes saved');

    // Someone else sees it: it was stored, not kept on Grace's device.
    const ada = await suite.openLive(`/p/${padId}`, { name: 'Ada', color: '#e03131' });
    await ada.page.getByTestId('tab-board').click();
    await expect.poll(() => ada.page.locator('g[data-type="sticky"]', { hasText: 'Unlocked sticky' }).count(), WAIT).toBe(1);
    expect([...grace.errors, ...ada.errors]).toEqual([]);
  }, 180_000);
});
