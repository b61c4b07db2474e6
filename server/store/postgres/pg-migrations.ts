/**
 * Versioned schema for the PostgreSQL store: its own list, independent of SQLite's. Every
 * process applies the missing versions at start, each in a transaction, under an advisory lock
 * so that several processes starting together apply each version once. Never edit a released
 * migration; add a new version.
 *
 * Types: ids and text as `text` with the "C" collation (byte order, as in SQLite, so prefix
 * ranges and sorting agree), times in ms since the epoch and seqs as `bigint`, Yjs data as `bytea`.
 */
import type pg from 'pg';
import { watchClient } from './pg-pool.js';

/** Advisory lock key for migrations ("gpmigrat" as 64 bits). */
const MIGRATION_LOCK = '7453170950373074036';

export const PG_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE pads (
        id text COLLATE "C" PRIMARY KEY,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        last_seq bigint NOT NULL DEFAULT 0,
        read_only_id text COLLATE "C" UNIQUE
      );
      CREATE TABLE updates (
        pad_id text COLLATE "C" NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        time bigint NOT NULL,
        author text NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (pad_id, seq)
      );
      CREATE TABLE snapshots (
        pad_id text COLLATE "C" NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        time bigint NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (pad_id, seq)
      );
      CREATE TABLE authors (
        id text PRIMARY KEY,
        name text NOT NULL,
        color text NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE edit_keys (
        scope text COLLATE "C" PRIMARY KEY,
        key_hash text NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE client_ids (
        pad_id text COLLATE "C" NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        client_id bigint NOT NULL,
        author text NOT NULL,
        PRIMARY KEY (pad_id, client_id)
      );

      CREATE TABLE events (
        slug text COLLATE "C" PRIMARY KEY,
        name text NOT NULL,
        starts_on text COLLATE "C" NOT NULL,
        ends_on text NOT NULL,
        time_zone text NOT NULL,
        rooms text NOT NULL,
        days text NOT NULL,
        extras text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE event_teams (
        event text COLLATE "C" NOT NULL REFERENCES events(slug) ON DELETE CASCADE,
        slug text COLLATE "C" NOT NULL,
        name text NOT NULL,
        color text,
        pad_url text,
        now_text text,
        next_json text NOT NULL DEFAULT '[]',
        board_updated_at bigint,
        position integer NOT NULL,
        PRIMARY KEY (event, slug)
      );
      CREATE TABLE event_bookings (
        event text COLLATE "C" NOT NULL REFERENCES events(slug) ON DELETE CASCADE,
        room text COLLATE "C" NOT NULL,
        day text COLLATE "C" NOT NULL,
        slot text COLLATE "C" NOT NULL,
        team text COLLATE "C" NOT NULL,
        PRIMARY KEY (event, room, day, slot),
        FOREIGN KEY (event, team) REFERENCES event_teams(event, slug) ON DELETE CASCADE
      );
      CREATE INDEX event_bookings_team ON event_bookings(event, team);
      CREATE TABLE pad_titles (
        pad_id text COLLATE "C" PRIMARY KEY,
        title text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );

      -- Search: words as the text parser splits them, lowercased, accents folded when the
      -- unaccent extension is available (it ships with Debian's postgresql package).
      DO $$
      BEGIN
        BEGIN
          CREATE EXTENSION IF NOT EXISTS unaccent;
        EXCEPTION WHEN others THEN
          RAISE NOTICE 'unaccent is not available: search matches accents exactly';
        END;
        CREATE TEXT SEARCH CONFIGURATION gatherpad (COPY = simple);
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
          ALTER TEXT SEARCH CONFIGURATION gatherpad
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;
        END IF;
      END $$;
      CREATE TABLE search_pads (
        pad_id text COLLATE "C" PRIMARY KEY,
        indexed_at bigint NOT NULL,
        body text NOT NULL,
        tsv tsvector NOT NULL
      );
      CREATE INDEX search_pads_tsv ON search_pads USING gin (tsv);

      CREATE TABLE history_revisions (
        pad_id text COLLATE "C" NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        rev bigint NOT NULL,
        first_seq bigint NOT NULL,
        last_seq bigint NOT NULL,
        start_time bigint NOT NULL,
        end_time bigint NOT NULL,
        authors text NOT NULL,
        updates bigint NOT NULL,
        bytes bigint NOT NULL,
        inserted bigint NOT NULL,
        deleted bigint NOT NULL,
        PRIMARY KEY (pad_id, rev)
      );
      CREATE INDEX history_revisions_seq ON history_revisions(pad_id, last_seq);
      CREATE TABLE history_keyframes (
        pad_id text COLLATE "C" NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        rev bigint NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (pad_id, seq)
      );
      CREATE TABLE history_clients (
        pad_id text COLLATE "C" NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        client bigint NOT NULL,
        author text NOT NULL,
        PRIMARY KEY (pad_id, client)
      );
      CREATE TABLE history_cursors (
        pad_id text COLLATE "C" PRIMARY KEY REFERENCES pads(id) ON DELETE CASCADE,
        indexed_seq bigint NOT NULL,
        built_rev bigint NOT NULL
      );
      CREATE TABLE saved_revisions (
        id bigserial PRIMARY KEY,
        pad_id text COLLATE "C" NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
        rev bigint NOT NULL,
        label text NOT NULL,
        author text NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE INDEX saved_revisions_pad ON saved_revisions(pad_id, rev);
      CREATE TABLE pad_forks (
        pad_id text COLLATE "C" PRIMARY KEY REFERENCES pads(id) ON DELETE CASCADE,
        forked_from text NOT NULL,
        forked_rev bigint NOT NULL,
        created_at bigint NOT NULL
      );
    `,
  },
  {
    // The Etherpad migration: old pad names that lead to new ids, and the
    // Etherpad-style author ids the compatible API and exports have shown.
    version: 50,
    sql: `
      CREATE TABLE pad_aliases (
        alias text COLLATE "C" PRIMARY KEY,
        pad_id text COLLATE "C" NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE TABLE etherpad_authors (
        etherpad_id text COLLATE "C" PRIMARY KEY,
        author text NOT NULL
      );
    `,
  },
  {
    // Storage health and public author ids, numbered as on SQLite.
    // One row /healthz rewrites to find out whether storage takes writes again (storage-health.ts).
    version: 60,
    sql: `CREATE TABLE storage_probe (id integer PRIMARY KEY CHECK (id = 1), at bigint NOT NULL);`,
  },
  {
    // What others see of an author instead of its (secret, cookie) id: access/public-author-id.ts.
    version: 61,
    sql: `
      CREATE TABLE author_public_ids (
        author text COLLATE "C" PRIMARY KEY,
        public_id text COLLATE "C" NOT NULL UNIQUE
      );
    `,
  },
];

/** Applies the missing migrations; safe to call from several processes at once. */
export async function migratePostgres(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  const watch = watchClient(client);
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const migration of [...PG_MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [migration.version, Date.now()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      applied.push(migration.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    watch.done();
    client.release(watch.failed());
  }
  return applied;
}
