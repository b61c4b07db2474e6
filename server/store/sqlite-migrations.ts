/**
 * Versioned schema for the SQLite store. Each migration runs once, in order, in a transaction;
 * the applied versions are recorded in `schema_migrations`.
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE pads (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE updates (
        pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        time INTEGER NOT NULL,
        author TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (pad_id, seq)
      );
      CREATE TABLE snapshots (
        pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        time INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (pad_id, seq)
      );
    `,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE authors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        color TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    // Commits land in the journal and move to the log a pad at a time (server/store/update-journal.ts);
    // the view shows both, for anyone reading the file with SQL.
    version: 3,
    sql: `
      ALTER TABLE updates RENAME TO update_log;
      CREATE TABLE update_journal (
        id INTEGER PRIMARY KEY,
        pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        time INTEGER NOT NULL,
        author TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE VIEW updates AS
        SELECT pad_id, seq, time, author, data FROM update_log
        UNION ALL
        SELECT j.pad_id, j.seq, j.time, j.author, j.data FROM update_journal j
         WHERE NOT EXISTS (SELECT 1 FROM update_log l WHERE l.pad_id = j.pad_id AND l.seq = j.seq);
    `,
  },
  // Versions 10-19: events and search. 20-29: history. 30-39: access. 50-59: the Etherpad
  // migration. 60-69: storage health and public author ids.
  {
    // Access: read-only ids and edit keys per pad; which author owns each Yjs client id.
    version: 30,
    sql: `
      ALTER TABLE pads ADD COLUMN read_only_id TEXT;
      CREATE UNIQUE INDEX pads_read_only_id ON pads(read_only_id);
      CREATE TABLE edit_keys (
        scope TEXT PRIMARY KEY,
        key_hash TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE client_ids (
        pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        client_id INTEGER NOT NULL,
        author TEXT NOT NULL,
        PRIMARY KEY (pad_id, client_id)
      );
    `,
  },
  {
    // Events, their teams, booked slots and the titles of team pads (server/store/sqlite-events.ts).
    version: 10,
    sql: `
      CREATE TABLE events (
        slug TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        starts_on TEXT NOT NULL,
        ends_on TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        rooms TEXT NOT NULL,
        days TEXT NOT NULL,
        extras TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE event_teams (
        event TEXT NOT NULL REFERENCES events(slug) ON DELETE CASCADE,
        slug TEXT NOT NULL,
        name TEXT NOT NULL,
        color TEXT,
        pad_url TEXT,
        now_text TEXT,
        next_json TEXT NOT NULL DEFAULT '[]',
        board_updated_at INTEGER,
        position INTEGER NOT NULL,
        PRIMARY KEY (event, slug)
      );
      CREATE TABLE event_bookings (
        event TEXT NOT NULL REFERENCES events(slug) ON DELETE CASCADE,
        room TEXT NOT NULL,
        day TEXT NOT NULL,
        slot TEXT NOT NULL,
        team TEXT NOT NULL,
        PRIMARY KEY (event, room, day, slot),
        FOREIGN KEY (event, team) REFERENCES event_teams(event, slug) ON DELETE CASCADE
      );
      CREATE INDEX event_bookings_team ON event_bookings(event, team);
      CREATE TABLE pad_titles (
        pad_id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    // Full-text search over pads' plain text (server/store/sqlite-search.ts).
    version: 11,
    sql: `
      CREATE TABLE search_pads (
        rowid INTEGER PRIMARY KEY,
        pad_id TEXT NOT NULL UNIQUE,
        indexed_at INTEGER NOT NULL
      );
      CREATE VIRTUAL TABLE search_text USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
    `,
  },
  {
    // History: revisions grouped from the update log, keyframes, authorship of client ids,
    // saved revisions and fork links (server/store/sqlite-history.ts).
    version: 20,
    sql: `
      CREATE TABLE history_revisions (
        pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        rev INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        start_time INTEGER NOT NULL,
        end_time INTEGER NOT NULL,
        authors TEXT NOT NULL,
        updates INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        inserted INTEGER NOT NULL,
        deleted INTEGER NOT NULL,
        PRIMARY KEY (pad_id, rev)
      );
      CREATE INDEX history_revisions_seq ON history_revisions(pad_id, last_seq);
      CREATE TABLE history_keyframes (
        pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        rev INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (pad_id, seq)
      );
      CREATE TABLE history_clients (
        pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        client INTEGER NOT NULL,
        author TEXT NOT NULL,
        PRIMARY KEY (pad_id, client)
      );
      CREATE TABLE history_cursors (
        pad_id TEXT PRIMARY KEY REFERENCES pads(id) ON DELETE CASCADE,
        indexed_seq INTEGER NOT NULL,
        built_rev INTEGER NOT NULL
      );
      CREATE TABLE saved_revisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        rev INTEGER NOT NULL,
        label TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX saved_revisions_pad ON saved_revisions(pad_id, rev);
      CREATE TABLE pad_forks (
        pad_id TEXT PRIMARY KEY REFERENCES pads(id) ON DELETE CASCADE,
        forked_from TEXT NOT NULL,
        forked_rev INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    // The Etherpad migration: old pad names that lead to new ids, and the
    // Etherpad-style author ids the compatible API and exports have shown.
    version: 50,
    sql: `
      CREATE TABLE pad_aliases (
        alias TEXT PRIMARY KEY,
        pad_id TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE etherpad_authors (
        etherpad_id TEXT PRIMARY KEY,
        author TEXT NOT NULL
      );
    `,
  },
  // 60-69: storage health and public author ids.
  {
    // One row /healthz rewrites to find out whether storage takes writes again (storage-health.ts).
    version: 60,
    sql: `CREATE TABLE storage_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL);`,
  },
  {
    // What others see of an author instead of its (secret, cookie) id: access/public-author-id.ts.
    version: 61,
    sql: `
      CREATE TABLE author_public_ids (
        author TEXT PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE
      );
    `,
  },
];

export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((row) => row.version),
  );
  // Issues add their migrations in parallel; versions, not list order, decide the order.
  for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now());
    })();
  }
}
