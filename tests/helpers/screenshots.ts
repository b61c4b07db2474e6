/**
 * Screenshots for people to look at after a run, under test-results/ui/ (ignored by git; CI
 * keeps the folder as an artifact). Never compared: the assertions are in the tests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'ui');

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false });
  return path;
}
