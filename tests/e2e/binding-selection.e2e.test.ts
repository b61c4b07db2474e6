/**
 * The TipTap/Yjs binding's own behaviour on remote changes, in Chromium with the binding lab
 * (several editors, several Y.Docs, a relay flushed by hand). These pin down what the patch in
 * patches/@tiptap+y-tiptap+*.patch fixes: if an upgrade of `@tiptap/y-tiptap` changes it, they fail.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, skipWithoutBrowser } from '../helpers/browser.js';
import { loadLab } from './binding-lab/lab-bundle.js';

describe.skipIf(skipWithoutBrowser)('TipTap/Yjs binding on remote changes', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function freshLab(): Promise<void> {
    page = await browser.newPage();
    await loadLab(page);
    await page.evaluate(() => {
      window.lab.add('a');
      window.lab.add('b');
      window.lab.setContent('a', '<h2>Cells v2</h2><h2>Unified limits</h2><p></p>');
      window.lab.flush();
    });
  }

  it('keeps a caret in its own empty paragraph when someone adds an empty paragraph above it', async () => {
    await freshLab();
    const caretOfA = await page.evaluate(() => {
      const { lab } = window;
      lab.caretAtEndOf('a', 2); // A's empty line under "Unified limits"
      lab.caretAtEndOf('b', 0);
      lab.enter('b'); // B: Enter at the end of "Cells v2"
      lab.flush();
      return lab.caret('a');
    });
    // A's paragraph moved from index 2 to 3; B's new empty one is index 1.
    expect(caretOfA).toEqual({ block: 3, offset: 0 });
  });

  it('keeps both people typing in their own lines when updates cross', async () => {
    await freshLab();
    const blocks = await page.evaluate(() => {
      const { lab } = window;
      lab.caretAtEndOf('a', 2);
      lab.caretAtEndOf('b', 0);
      lab.enter('b');
      lab.flush();
      for (const word of ['alpha', 'beta', 'gamma']) {
        for (const ch of word) {
          lab.type('a', ch);
          lab.type('b', ch.toUpperCase());
          lab.flush();
        }
        lab.enter('a');
        lab.enter('b');
        lab.flush();
      }
      return [lab.blocks('a'), lab.blocks('b')];
    });
    const expected = ['Cells v2', 'ALPHA', 'BETA', 'GAMMA', '', 'Unified limits', 'alpha', 'beta', 'gamma', ''];
    expect(blocks[0]).toEqual(expected);
    expect(blocks[1]).toEqual(expected);
  });

  it('does not spread a mark typed with a markdown rule when someone else types meanwhile', async () => {
    await freshLab();
    await page.evaluate(() => {
      window.lab.caretAtEndOf('a', 2);
      window.lab.focus('a');
    });
    await page.keyboard.type('**Status**');
    await page.evaluate(() => {
      const { lab } = window;
      lab.caretAtEndOf('b', 0);
      lab.type('b', ' (draft)');
      lab.flush();
      lab.focus('a');
    });
    await page.keyboard.type(': rest of line');
    const runs = await page.evaluate(() => window.lab.runs('a', 2));
    expect(runs).toEqual(['Status:bold', ': rest of line:']);
  });
});
