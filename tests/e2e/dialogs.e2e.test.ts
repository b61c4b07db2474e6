/**
 * The app's own dialogs in Chromium, never the browser's prompt/confirm/alert: the link dialog
 * (toolbar and Ctrl+K), saving a revision with a label (Ctrl+S), restoring and forking a
 * revision from History. Each is labelled by its heading, keeps Tab inside, closes on Escape
 * and shows the server's refusal inside itself. Screenshots in test-results/ui/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { padText, statusOf, typeAtEnd, WAIT, type Person } from '../helpers/pad-people.js';
import { screenshot } from '../helpers/screenshots.js';

/** The open dialog's accessible name, whether Tab ever leaves it, and its controls' names. */
async function checkModal(page: Page, testId: string): Promise<{ name: string; escaped: boolean; visited: string[] }> {
  const dialog = page.getByTestId(testId);
  await dialog.waitFor({ timeout: WAIT.timeout });
  const name = await dialog.evaluate((el) => document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent ?? '');
  const visited: string[] = [];
  let escaped = false;
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
    const where = await page.evaluate((id) => {
      const active = document.activeElement as HTMLElement | null;
      const inside = !!active && !!document.querySelector(`[data-testid="${id}"]`)?.contains(active);
      return { inside, name: active?.textContent?.trim() || active?.getAttribute('aria-label') || active?.id || '' };
    }, testId);
    if (!where.inside) escaped = true;
    visited.push(where.name);
  }
  return { name, escaped, visited };
}

/** Fails the test on any native dialog: they must not appear. */
function refuseNativeDialogs(person: Person): string[] {
  const seen: string[] = [];
  person.page.on('dialog', (dialog) => {
    seen.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return seen;
}

describe.skipIf(skipWithoutBrowser)('in-app dialogs in Chromium', () => {
  const suite = useBrowserSuite();

  it('edits links in a labelled, focus-trapped dialog that Escape closes and that refuses bad schemes', async () => {
    const ada = await suite.openLive(`/p/links-${randomPadId()}`, { name: 'Ada', color: '#e03131' });
    const native = refuseNativeDialogs(ada);
    const { page } = ada;
    await typeAtEnd(page, 'See the agenda');
    await page.keyboard.press('Shift+Home');
    await page.locator('#toolbar [data-command="link"]').click();

    const check = await checkModal(page, 'link-dialog');
    expect(check.name).toBe('Add a link');
    expect(check.escaped).toBe(false);
    expect(check.visited).toEqual(expect.arrayContaining(['Cancel', 'Add link']));
    await screenshot(page, 'dialog-link');

    await page.getByRole('textbox', { name: 'Link address' }).fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Add link' }).click();
    await expect.poll(() => page.getByTestId('link-dialog').getByRole('alert').innerText(), WAIT).toContain('Links must use http, https');
    await page.getByRole('textbox', { name: 'Link address' }).fill('example.org/agenda');
    await page.getByRole('button', { name: 'Add link' }).click();
    await expect.poll(() => page.getByTestId('link-dialog').count(), WAIT).toBe(0);
    await expect.poll(() => page.locator('.pad-content a').getAttribute('href'), WAIT).toBe('https://example.org/agenda');
    expect(await page.locator('.pad-content a').innerText()).toBe('See the agenda');

    // Ctrl+K on the link: "Edit link", prefilled; Escape closes and changes nothing; Remove link.
    await page.locator('.pad-content a').click();
    await page.keyboard.press('Control+k');
    await page.getByTestId('link-dialog').waitFor({ timeout: WAIT.timeout });
    expect(await page.getByRole('textbox', { name: 'Link address' }).inputValue()).toBe('https://example.org/agenda');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('link-dialog').count(), WAIT).toBe(0);
    expect(await page.locator('.pad-content a').count()).toBe(1);
    // Focus went back to the editor.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('ProseMirror'))).toBe(true);
    await page.keyboard.press('Control+k');
    await page.getByRole('button', { name: 'Remove link' }).click();
    await expect.poll(() => page.locator('.pad-content a').count(), WAIT).toBe(0);
    expect(await padText(page)).toContain('See the agenda');
    expect(native).toEqual([]);
    expect(ada.errors).toEqual([]);
  }, 120_000);

  it("saves, restores and forks revisions through dialogs, with the server's refusal shown inside", async () => {
    const padId = `revs-${randomPadId()}`;
    const ada = await suite.openLive(`/p/${padId}`, { name: 'Ada', color: '#e03131' }, { viewport: { width: 1100, height: 900 } });
    const native = refuseNativeDialogs(ada);
    const { page } = ada;
    await typeAtEnd(page, 'First version.');
    await expect.poll(() => statusOf(page, 'save-status'), WAIT).toBe('All changes saved');

    // Ctrl+S: a label for the current revision.
    await page.keyboard.press('Control+s');
    const save = await checkModal(page, 'save-revision-dialog');
    expect(save).toMatchObject({ name: 'Save this revision', escaped: false });
    await page.getByRole('textbox', { name: 'Label' }).fill('Before the vote');
    await screenshot(page, 'dialog-save-revision');
    await page.getByRole('button', { name: 'Save revision' }).click();
    await expect.poll(() => page.getByTestId('save-revision-dialog').count(), WAIT).toBe(0);
    await expect
      .poll(
        async () =>
          (
            (await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/saved-revisions`)).json()) as { saved: { label: string }[] }
          ).saved.map((s) => s.label),
        WAIT,
      )
      .toEqual(['Before the vote']);

    await page.keyboard.press('Control+a');
    await page.keyboard.type('Second version.');
    await expect.poll(() => statusOf(page, 'save-status'), WAIT).toBe('All changes saved');

    await page.getByTestId('history-button').click();
    await expect.poll(() => page.getByLabel('Revision content').innerText(), WAIT).toContain('Second version.');
    await page.getByRole('button', { name: '⇤ Saved' }).click();
    await expect.poll(() => page.getByLabel('Revision content').innerText(), WAIT).toBe('First version.');

    // Restore: a confirmation that says what happens; Escape first changes nothing.
    await page.getByRole('button', { name: 'Restore this revision' }).click();
    const restore = await checkModal(page, 'restore-dialog');
    expect(restore.name).toMatch(/^Restore revision \d+\?$/);
    expect(restore.escaped).toBe(false);
    expect(await page.getByTestId('restore-dialog').getAttribute('aria-describedby')).toBeTruthy();
    await screenshot(page, 'dialog-restore');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('restore-dialog').count(), WAIT).toBe(0);
    expect(await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/export.txt`)).text()).toContain('Second version.');
    await page.getByRole('button', { name: 'Restore this revision' }).click();
    await page.getByTestId('restore-dialog').getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => page.getByTestId('restore-dialog').count(), WAIT).toBe(0);
    await expect
      .poll(async () => (await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/export.txt`)).text()).trim(), WAIT)
      .toBe('First version.');

    // Fork: a name taken by a pad with content is refused inside the dialog; another works.
    const taken = `taken-${randomPadId()}`;
    const put = await fetch(`${suite.server.baseUrl}/api/v1/pads/${taken}/content`, {
      method: 'PUT',
      headers: { 'content-type': 'text/markdown' },
      body: 'Already here',
    });
    expect(put.status).toBeLessThan(300);
    await page.getByRole('button', { name: 'Fork…' }).click();
    const fork = await checkModal(page, 'fork-dialog');
    expect(fork.name).toMatch(/^Fork revision \d+$/);
    expect(fork.escaped).toBe(false);
    await page.getByRole('textbox', { name: 'Name of the new pad' }).fill(taken);
    await page.getByRole('button', { name: 'Create the new pad' }).click();
    await expect.poll(() => page.getByTestId('fork-dialog').getByRole('alert').innerText(), WAIT).not.toBe('');
    await screenshot(page, 'dialog-fork-refused');
    const forkId = `${padId}-copy`;
    await page.getByRole('textbox', { name: 'Name of the new pad' }).fill(forkId);
    await page.getByRole('button', { name: 'Create the new pad' }).click();
    await expect.poll(() => page.getByTestId('fork-dialog').count(), WAIT).toBe(0);
    await expect.poll(() => page.getByRole('link', { name: forkId }).count(), WAIT).toBe(1);
    expect((await (await fetch(`${suite.server.baseUrl}/api/v1/pads/${forkId}/export.txt`)).text()).trim()).toBe('First version.');
    expect(native).toEqual([]);
    expect(ada.errors).toEqual([]);
  }, 180_000);
});
