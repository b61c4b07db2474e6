/**
 * One call at the top of a `describe` block: an in-process server started before the suite's
 * tests, stock y-websocket providers opened on it with `client(...)`, and all of them closed
 * after the suite.
 */
import { afterAll, beforeAll } from 'vitest';
import { connectProvider, type ProviderClient } from './clients.js';
import { startInProcess, type InProcessServer } from './server.js';

export interface ProviderSuite {
  /** The started server; throws when used before `beforeAll` finished. */
  readonly server: InProcessServer;
  /** A stock provider on `padId` (with query `params`), destroyed after the suite. */
  client(padId: string, params?: Record<string, string>): ProviderClient;
}

export function useProviderSuite(env: Record<string, string> = {}): ProviderSuite {
  let server: InProcessServer | undefined;
  const clients: ProviderClient[] = [];
  beforeAll(async () => {
    server = await startInProcess(env);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });
  const suite: ProviderSuite = {
    get server() {
      if (!server) throw new Error('beforeAll did not finish: no server');
      return server;
    },
    client(padId, params) {
      const c = connectProvider(suite.server.wsUrl, padId, { params });
      clients.push(c);
      return c;
    },
  };
  return suite;
}
