/**
 * One call at the top of an e2e `describe` block: the built server (child process) and Debian's
 * Chromium started before the suite's tests, and every browser context it opened, the browser
 * and the server closed after them. Pages are opened as named people with `openAs`.
 */
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser } from './browser.js';
import { openAs, statusOf, WAIT, type PadUser, type Person } from './pad-people.js';
import { startServer, type ChildServer } from './server.js';

export interface BrowserSuite {
  /** The started server; throws when used before `beforeAll` finished. */
  readonly server: ChildServer;
  /** The launched Chromium; throws when used before `beforeAll` finished. */
  readonly browser: Browser;
  /** Opens `pathOrUrl` (a path is taken on the server) as `user` in a new context, closed after the suite. */
  open(pathOrUrl: string, user: PadUser | null, contextOptions?: BrowserContextOptions): Promise<Person>;
  /** `open`, then wait until the page's connection status says "Live". */
  openLive(pathOrUrl: string, user: PadUser | null, contextOptions?: BrowserContextOptions): Promise<Person>;
}

export function useBrowserSuite(options: { env?: Record<string, string> } = {}): BrowserSuite {
  let server: ChildServer | undefined;
  let browser: Browser | undefined;
  const people: Person[] = [];

  beforeAll(async () => {
    server = await startServer({ env: options.env });
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    for (const person of people) await person.context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  }, 30_000);

  const suite: BrowserSuite = {
    get server() {
      if (!server) throw new Error('beforeAll did not finish: no server');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('beforeAll did not finish: no browser');
      return browser;
    },
    async open(pathOrUrl, user, contextOptions = {}) {
      const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${suite.server.baseUrl}${pathOrUrl}`;
      const person = await openAs(suite.browser, url, user, contextOptions);
      people.push(person);
      return person;
    },
    async openLive(pathOrUrl, user, contextOptions) {
      const person = await suite.open(pathOrUrl, user, contextOptions);
      await expect.poll(() => statusOf(person.page, 'connection-status'), WAIT).toBe('Live');
      return person;
    },
  };
  return suite;
}
