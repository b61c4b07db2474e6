/**
 * What people type and paste, in Chromium: markdown input rules (`[text](url)` links, `- [ ] `
 * and `* [ ] ` tasks, `[x] ` checked) named by the placeholder; Etherpad-style text pasted one
 * paragraph per line (as plain text, and as HTML that lost its line structure) and imported
 * from a .txt file the same way; tooltips with the platform's real keys (Ctrl+Z here, ⌘Z on a
 * Mac); and distinct colours for two people who chose the same one. Screenshots in
 * test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { statusOf, typeAtEnd, WAIT } from '../helpers/pad-people.js';
import { screenshot } from '../helpers/screenshots.js';

const ADA = { name: 'Ada', color: '#e03131' };

/** The editor's blocks as `tag: text`, tasks with their checked state. */
function blocks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.pad-content p, .pad-content h1, .pad-content h2')).map((el) => {
      const task = el.closest('li[data-checked]');
      const prefix = task ? `task(${task.getAttribute('data-checked')})` : el.closest('li') ? 'item' : el.tagName.toLowerCase();
      return `${prefix}: ${el.textContent ?? ''}`;
    }),
  );
}

/** Dispatches a paste of `data` (type -> content) at the caret, as the browser would. */
function paste(page: Page, data: Record<string, string>): Promise<void> {
  return page.evaluate((entries) => {
    const transfer = new DataTransfer();
    for (const [type, value] of Object.entries(entries)) transfer.setData(type, value);
    const target = document.querySelector('.pad-content');
    target?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, data);
}

describe.skipIf(skipWithoutBrowser)('typing and pasting in Chromium', () => {
  const suite = useBrowserSuite();

  it('turns [text](url) into a link and - [ ], * [ ], [x] into tasks; the placeholder says so', async () => {
    const { page, errors } = await suite.openLive(`/p/rules-${randomPadId()}`, ADA);
    const placeholder = await page.locator('.is-editor-empty').getAttribute('data-placeholder', { timeout: WAIT.timeout });
    expect(placeholder).toContain('- [ ] task');
    expect(placeholder).toContain('[x] done');
    expect(placeholder).toContain('[text](url) link');

    await typeAtEnd(page, 'Read [the spec](example.org/spec) first, and [mail](mailto:ptg@example.org).');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Not a link: ![img](x.png) nor [evil](javascript:alert(1))');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- [ ] write the summary');
    await page.keyboard.press('Enter');
    await page.keyboard.type('[x] book the room');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('* [x] already done');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('[ ] a plain task line');

    await expect
      .poll(() => blocks(page), WAIT)
      .toEqual([
        'p: Read the spec first, and mail.',
        'p: Not a link: ![img](x.png) nor [evil](javascript:alert(1))',
        'task(false): write the summary',
        'task(true): book the room',
        'task(true): already done',
        'task(false): a plain task line',
      ]);
    const links = await page.locator('.pad-content a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([
      ['the spec', 'https://example.org/spec'],
      ['mail', 'mailto:ptg@example.org'],
    ]);
    // What follows a link typed this way is not part of it.
    expect(await page.locator('.pad-content a', { hasText: 'first' }).count()).toBe(0);
    await expect.poll(() => statusOf(page, 'save-status'), WAIT).toBe('All changes saved');
    const md = await (
      await fetch(`${suite.server.baseUrl}${new URL(page.url()).pathname.replace('/p/', '/api/v1/pads/')}/export.md`)
    ).text();
    expect(md).toContain('[the spec](https://example.org/spec)');
    expect(md).toContain('- [x] book the room');
    await screenshot(page, 'markdown-input-rules');
    expect(errors).toEqual([]);
  }, 120_000);

  it('pastes Etherpad-style text one paragraph per line, also when its HTML lost the lines', async () => {
    const { page, errors } = await suite.openLive(`/p/paste-${randomPadId()}`, ADA);
    await typeAtEnd(page, 'Start: ');
    // Plain text with Windows line ends and a blank line.
    await paste(page, { 'text/plain': 'Nova PTG day 1\r\nunified limits\r\n\r\nquotas next' });
    await page.keyboard.press('Enter');
    // A copy from a page showing text in pre-wrap (Etherpad's text export, a log viewer): the
    // HTML alone would make one paragraph.
    await paste(page, {
      'text/plain': 'Cinder: backups\nCinder: replication\nCinder: retype',
      'text/html': '<meta charset="utf-8"><div style="white-space: pre-wrap">Cinder: backups\nCinder: replication\nCinder: retype</div>',
    });
    await page.keyboard.press('Enter');
    // Lines separated by <br> (soft breaks) in the HTML.
    await paste(page, { 'text/plain': 'line one\nline two', 'text/html': '<span>line one</span><br><span>line two</span>' });
    await page.keyboard.press('Enter');
    // Real structure in the HTML stays: a list keeps its items.
    await paste(page, { 'text/plain': 'first\nsecond', 'text/html': '<ul><li>first</li><li>second</li></ul>' });

    await expect
      .poll(() => blocks(page), WAIT)
      .toEqual([
        'p: Start: Nova PTG day 1',
        'p: unified limits',
        'p: quotas next',
        'p: Cinder: backups',
        'p: Cinder: replication',
        'p: Cinder: retype',
        'p: line one',
        'p: line two',
        'item: first',
        'item: second',
      ]);
    await screenshot(page, 'paste-one-paragraph-per-line');
    expect(errors).toEqual([]);
  }, 120_000);

  it('imports an Etherpad text export (.txt) one paragraph per line', async () => {
    const padId = `import-txt-${randomPadId()}`;
    const { page, errors } = await suite.openLive(`/p/${padId}`, ADA);
    await typeAtEnd(page, 'To be replaced.');
    await page.getByTestId('export-menu').locator('summary').click();
    await page.getByTestId('import-open').click();
    const text = 'Nova PTG day 1\r\nunified limits\r\nquotas next\r\n\r\nCinder: backups\nCinder: replication\n';
    await page.locator('#import-file').setInputFiles({ name: 'nova-ptg.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    // The file is read into the dialog before it can be sent.
    await expect.poll(() => page.getByLabel('or paste markdown').inputValue(), WAIT).toContain('Cinder: replication');
    await page.getByTestId('import-confirm').click();
    await expect
      .poll(() => blocks(page), WAIT)
      .toEqual(['p: Nova PTG day 1', 'p: unified limits', 'p: quotas next', 'p: Cinder: backups', 'p: Cinder: replication']);
    const md = await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/export.md`)).text();
    expect(md).toBe('Nova PTG day 1\n\nunified limits\n\nquotas next\n\nCinder: backups\n\nCinder: replication\n');
    await screenshot(page, 'import-txt-one-paragraph-per-line');
    expect(errors).toEqual([]);
  }, 120_000);

  it('names real keys in tooltips: Ctrl+Z here, ⌘Z on a Mac', async () => {
    const { page, errors } = await suite.openLive(`/p/keys-${randomPadId()}`, ADA);
    const title = (command: string) => page.locator(`#toolbar [data-command="${command}"]`).getAttribute('title');
    expect(await title('undo')).toBe('Undo (Ctrl+Z)');
    expect(await title('redo')).toBe('Redo (Ctrl+Shift+Z)');
    expect(await title('bold')).toBe('Bold (Ctrl+B)');
    expect(await title('link')).toBe('Link (Ctrl+K)');
    expect(await page.getByTestId('history-button').getAttribute('title')).toContain('Ctrl+S saves a revision');
    await page.getByTestId('tab-board').click();
    expect(await page.getByTestId('board-undo').getAttribute('title')).toBe('Undo (Ctrl+Z)');
    expect(await page.getByTestId('board-zoom-fit').getAttribute('title')).toBe('Zoom to fit (Shift+1)');
    const allTitles = await page.locator('[title]').evaluateAll((els) => els.map((el) => el.getAttribute('title') ?? ''));
    expect(allTitles.filter((t) => /\bMod\b|Mod-/.test(t))).toEqual([]);

    const mac = await suite.open(`/p/keys-${randomPadId()}`, ADA);
    await mac.context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'platform', { get: () => 'MacIntel' });
      Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => ({ platform: 'macOS' }) });
    });
    await mac.page.reload();
    const macTitle = (command: string) => mac.page.locator(`#toolbar [data-command="${command}"]`).getAttribute('title');
    await expect.poll(() => macTitle('undo'), WAIT).toBe('Undo (⌘Z)');
    expect(await macTitle('redo')).toBe('Redo (⇧⌘Z)');
    expect(await macTitle('h1')).toBe('H1 heading (⌥⌘1)');
    await mac.page.locator('body').press('?');
    await expect.poll(() => mac.page.getByTestId('shortcuts-dialog').innerText(), WAIT).toContain('⌘B');
    await screenshot(mac.page, 'shortcuts-mac');
    expect([...errors, ...mac.errors]).toEqual([]);
  }, 120_000);

  it('gives two people who chose the same colour different ones on the pad', async () => {
    const padId = `colours-${randomPadId()}`;
    const violet = '#7048e8';
    const ada = await suite.openLive(`/p/${padId}`, { name: 'Ada', color: violet });
    const grace = await suite.openLive(`/p/${padId}`, { name: 'Grace', color: violet });
    await typeAtEnd(ada.page, 'Ada here. ');
    await typeAtEnd(grace.page, 'Grace here.');

    const dots = (page: Page) => page.locator('.presence__dot').evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
    for (const person of [ada, grace]) {
      await expect
        .poll(async () => {
          const colours = await dots(person.page);
          return colours.length === 2 && new Set(colours).size === 2;
        }, WAIT)
        .toBe(true);
    }
    // Both see the same two colours, one each, and the caret labels use them.
    expect((await dots(ada.page)).sort()).toEqual((await dots(grace.page)).sort());
    await ada.page.locator('.collaboration-carets__label', { hasText: 'Grace' }).waitFor({ timeout: WAIT.timeout });
    const graceLabel = await ada.page
      .locator('.collaboration-carets__label', { hasText: 'Grace' })
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    const adaDot = await ada.page.locator('.presence__self .presence__dot').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(graceLabel).not.toBe(adaDot);
    // The stored choice stays: the change is for this pad.
    const stored = await Promise.all(
      [ada, grace].map((p) => p.page.evaluate(() => JSON.parse(localStorage.getItem('gatherpad:user') ?? '{}').color)),
    );
    expect(stored).toEqual([violet, violet]);
    await screenshot(ada.page, 'presence-distinct-colours');
    expect([...ada.errors, ...grace.errors]).toEqual([]);
  }, 120_000);
});
