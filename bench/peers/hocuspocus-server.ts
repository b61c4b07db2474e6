/**
 * Hocuspocus 4 for benchmarks, with its Database extension on SQLite (the whole document state,
 * stored after Hocuspocus's own debounce). Env: PORT, DATA_DIR.
 */
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import { openPeerDb } from './sqlite-persistence.js';

const db = openPeerDb(process.env.DATA_DIR ?? './data-hp');
const read = db.prepare<[string], { data: Buffer }>('SELECT data FROM states WHERE doc = ?');
const write = db.prepare<[string, Uint8Array]>(
  'INSERT INTO states (doc, data) VALUES (?, ?) ON CONFLICT (doc) DO UPDATE SET data = excluded.data',
);

const server = new Server({
  port: Number(process.env.PORT ?? 1234),
  address: '127.0.0.1',
  quiet: true,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => {
        const row = read.get(documentName);
        return row ? new Uint8Array(row.data) : null;
      },
      store: async ({ documentName, state }) => {
        write.run(documentName, state);
      },
    }),
  ],
});
await server.listen();
