/**
 * Debian's Chromium driven by playwright-core, for end-to-end tests. Never a downloaded
 * browser: `.ci/run` installs `/usr/bin/chromium`. Outside CI a machine without it skips the
 * browser tests; with `CI=true` a missing browser is a failure, never a skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when browser tests must be skipped: no Chromium and not in CI. */
export const skipWithoutBrowser = !existsSync(CHROMIUM_PATH) && process.env.CI !== 'true';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; .ci/run installs it (apt-get install chromium).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
