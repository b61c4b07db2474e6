/**
 * The y-websocket reference server (@y/websocket-server 0.1.1, Yjs 13) for benchmarks, with
 * y-leveldb-style persistence on SQLite: every update appended, merged into one on load.
 * Env: PORT, DATA_DIR.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { openPeerDb } from './sqlite-persistence.js';

const db = openPeerDb(process.env.DATA_DIR ?? './data-yws');
const insert = db.prepare<[string, Uint8Array]>('INSERT INTO updates (doc, data) VALUES (?, ?)');
const load = db.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE doc = ? ORDER BY id');
const clear = db.prepare<[string]>('DELETE FROM updates WHERE doc = ?');

setPersistence({
  provider: db,
  bindState: async (docName: string, ydoc: Y.Doc) => {
    const stored = load.all(docName).map((row) => new Uint8Array(row.data));
    if (stored.length > 0) {
      const merged = Y.mergeUpdates(stored);
      Y.applyUpdate(ydoc, merged);
      // y-leveldb trims long logs into one update when it loads them.
      if (stored.length > 500)
        db.transaction(() => {
          clear.run(docName);
          insert.run(docName, merged);
        })();
    }
    ydoc.on('update', (update: Uint8Array) => insert.run(docName, update));
  },
  writeState: async () => {},
});

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
const server = http.createServer((_req, res) => res.end('okay'));
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(Number(process.env.PORT ?? 1234), '127.0.0.1');
