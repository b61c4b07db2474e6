/**
 * Persistence for the peer servers in benchmarks: one SQLite file per server, written the way
 * each peer's own persistence works (y-leveldb: every update appended; Hocuspocus Database:
 * the whole state, debounced). `synchronous = OFF`, like leveldb's default unsynced writes:
 * the peers get the cheaper durability, Gatherpad keeps its fsync per group commit.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function openPeerDb(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'peer.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec('CREATE TABLE IF NOT EXISTS updates (doc TEXT NOT NULL, id INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL)');
  db.exec('CREATE INDEX IF NOT EXISTS updates_doc ON updates (doc, id)');
  db.exec('CREATE TABLE IF NOT EXISTS states (doc TEXT PRIMARY KEY, data BLOB NOT NULL)');
  return db;
}
