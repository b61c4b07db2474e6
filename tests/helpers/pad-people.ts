/**
 * People on pad pages in Chromium, each in a separate browser context (own storage, own
 * IndexedDB, own cookie): open a pad as a named person, read the status texts, type.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

/** Generous: the CI machine has two cores and runs Chromium more than once. */
export const WAIT = { timeout: 30_000, interval: 100 };

/** Who a page is opened as: stored under 'gatherpad:user' before the page loads. */
export interface PadUser {
  name: string;
  color: string;
}

export interface Person {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export async function openAs(
  browser: Browser,
  url: string,
  user: PadUser | null,
  contextOptions: BrowserContextOptions = {},
): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, ...contextOptions });
  if (user) {
    await context.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [
      'gatherpad:user',
      JSON.stringify(user),
    ] as const);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { context, page, errors };
}

export const padText = (page: Page): Promise<string> => page.getByLabel('Pad content').innerText();

export const statusOf = (page: Page, testId: 'connection-status' | 'save-status'): Promise<string> =>
  page
    .getByTestId(testId)
    .innerText()
    .then((text) => text.trim());

export async function typeAtEnd(page: Page, text: string): Promise<void> {
  await page.getByLabel('Pad content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}
