/**
 * Screenshots for people to look at after a run, under test-results/ui/ (ignored by git; a CI
 * job may keep the folder), one file per name. Never compared: the assertions are in
 * the tests. Each path is printed under the test that took it and attached to the test as a
 * `screenshot` annotation (reporters show it next to a failure).
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { TestRunner } from 'vitest';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'ui');

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false });
  const shown = relative(process.cwd(), path);
  console.info(`screenshot: ${shown}`); // for the person reading the test output
  await TestRunner.getCurrentTest()?.context.annotate(shown, 'screenshot');
  return path;
}
