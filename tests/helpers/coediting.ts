/**
 * People co-editing one pad, each in their own Chromium process (as on separate laptops):
 * where their caret is, placing it as a person would (click, then wait until the editor has
 * taken the click before the next key), typing at a person's pace, and the pad's blocks as the
 * editor holds them.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowser } from './browser.js';
import { openAs, statusOf, WAIT, type PadUser, type Person } from './pad-people.js';

export interface Writer extends Person {
  name: string;
  /** Closes the writer's page: its browser if launched for it, else its context. */
  close(): Promise<void>;
}

/**
 * Opens `url` as `user` in a browser process of its own; resolves once the pad is live. The
 * process is launched for the writer, or is `browser`: one this person keeps from test to test
 * (Chromium took seconds to launch and close, per person per test), opened in a new context.
 */
export async function openWriter(url: string, user: PadUser, browser?: Browser): Promise<Writer> {
  const inBrowser = browser ?? (await launchBrowser());
  const person = await openAs(inBrowser, url, user);
  await person.page.getByLabel('Pad content').waitFor({ timeout: WAIT.timeout });
  await expect.poll(() => statusOf(person.page, 'connection-status'), WAIT).toBe('Live');
  return { ...person, name: user.name, close: () => (browser ? person.context : inBrowser).close() };
}

export async function closeWriters(writers: readonly Writer[]): Promise<void> {
  await Promise.all(writers.map((writer) => writer.close().catch(() => undefined)));
}

/** The top-level blocks of the pad as the editor holds them: type and text. */
export function blocksOf(page: Page): Promise<{ type: string; text: string }[]> {
  return page.evaluate(() => {
    const dom = document.querySelector('.pad-content') as
      | (HTMLElement & {
          editor?: { state: { doc: { forEach(fn: (node: { type: { name: string }; textContent: string }) => void): void } } };
        })
      | null;
    if (!dom?.editor) throw new Error('no editor on the page');
    const blocks: { type: string; text: string }[] = [];
    dom.editor.state.doc.forEach((node) => blocks.push({ type: node.type.name, text: node.textContent }));
    return blocks;
  });
}

/** The top-level block (index, text) the editor's caret is in, and the offset in it. */
export function caretOf(page: Page): Promise<{ block: number; text: string; offset: number }> {
  return page.evaluate(() => {
    const dom = document.querySelector('.pad-content') as
      | (HTMLElement & {
          editor?: {
            state: { selection: { $head: { index(depth: number): number; parentOffset: number; parent: { textContent: string } } } };
          };
        })
      | null;
    if (!dom?.editor) throw new Error('no editor on the page');
    const { $head } = dom.editor.state.selection;
    return { block: $head.index(0), text: $head.parent.textContent, offset: $head.parentOffset };
  });
}

/**
 * Clicks at the end of the first top-level block whose text is `text`, and waits until the
 * editor's own selection is there: a person does not press the next key within the few
 * milliseconds Chromium takes to deliver the click's selection change to the editor.
 */
export async function caretToEndOf(page: Page, text: string): Promise<void> {
  const blocks = await blocksOf(page);
  const index = blocks.findIndex((block) => block.text === text);
  if (index < 0) throw new Error(`no block "${text}" in ${JSON.stringify(blocks)}`);
  const element = page.locator('.pad-content > *').nth(index);
  const box = await element.boundingBox();
  if (!box) throw new Error(`block "${text}" is not on screen`);
  await page.mouse.click(box.x + box.width - 4, box.y + box.height / 2);
  await page.keyboard.press('End');
  await expect.poll(() => caretOf(page), WAIT).toEqual({ block: index, text, offset: text.length });
}

/** Types `text` at about `perSecond` characters a second, as a person taking notes does. */
export async function typeAtPace(page: Page, text: string, perSecond = 8): Promise<void> {
  await page.keyboard.type(text, { delay: Math.round(1000 / perSecond) });
}

/** Types each line, pressing Enter between them. */
export async function typeLines(page: Page, lines: readonly string[], perSecond = 8): Promise<void> {
  for (const [i, line] of lines.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await typeAtPace(page, line, perSecond);
  }
}
