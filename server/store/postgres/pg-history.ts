/**
 * The HistoryStore on PostgreSQL (as `sqlite-history.ts`): revisions, keyframes, client-id
 * authorship, saved revisions and fork links, next to the `updates` log it reads and compacts.
 * Compaction is run by one process at a time per pad (HistoryIndexer under a WorkLease).
 */
import type pg from 'pg';
import type { ForkOrigin, HistoryCursor, HistoryStore, Keyframe, LogUpdate, Revision, SavedRevision } from '../../history/types.js';
import { REVISION_COLUMNS, toRevision, type RevisionRow } from '../revision-rows.js';
import { bytes, transaction, type Queryable } from './pg-pool.js';

const buffer = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

async function upsertRevision(db: Queryable, padId: string, r: Revision): Promise<void> {
  await db.query(
    `INSERT INTO history_revisions (pad_id, ${REVISION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (pad_id, rev) DO UPDATE SET first_seq = excluded.first_seq, last_seq = excluded.last_seq,
       start_time = excluded.start_time, end_time = excluded.end_time, authors = excluded.authors, updates = excluded.updates,
       bytes = excluded.bytes, inserted = excluded.inserted, deleted = excluded.deleted`,
    [padId, r.rev, r.firstSeq, r.lastSeq, r.startTime, r.endTime, JSON.stringify(r.authors), r.updates, r.bytes, r.inserted, r.deleted],
  );
}

async function upsertKeyframe(db: Queryable, padId: string, keyframe: Keyframe): Promise<void> {
  await db.query(
    `INSERT INTO history_keyframes (pad_id, seq, rev, data) VALUES ($1, $2, $3, $4)
     ON CONFLICT (pad_id, seq) DO UPDATE SET rev = excluded.rev, data = excluded.data`,
    [padId, keyframe.seq, keyframe.rev, buffer(keyframe.data)],
  );
}

export class PgHistoryStore implements HistoryStore {
  constructor(private readonly pool: pg.Pool) {}

  async cursor(padId: string): Promise<HistoryCursor> {
    const { rows } = await this.pool.query<{ indexed_seq: number; built_rev: number }>(
      'SELECT indexed_seq, built_rev FROM history_cursors WHERE pad_id = $1',
      [padId],
    );
    return { indexedSeq: rows[0]?.indexed_seq ?? 0, builtRev: rows[0]?.built_rev ?? 0 };
  }

  async readUpdates(padId: string, afterSeq: number, toSeq: number, limit: number): Promise<LogUpdate[]> {
    const { rows } = await this.pool.query<{ seq: number; time: number; author: string; data: Buffer }>(
      'SELECT seq, time, author, data FROM updates WHERE pad_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4',
      [padId, afterSeq, Math.min(toSeq, Number.MAX_SAFE_INTEGER), Math.min(limit, Number.MAX_SAFE_INTEGER)],
    );
    return rows.map((row) => ({ seq: row.seq, time: row.time, author: row.author, data: bytes(row.data) }));
  }

  async saveIndex(padId: string, revisions: readonly Revision[], clients: ReadonlyMap<number, string>, indexedSeq: number): Promise<void> {
    await transaction(this.pool, async (db) => {
      for (const r of revisions) await upsertRevision(db, padId, r);
      if (clients.size > 0) {
        await db.query(
          `INSERT INTO history_clients (pad_id, client, author) SELECT $1::text, * FROM unnest($2::bigint[], $3::text[]) ON CONFLICT DO NOTHING`,
          [padId, Array.from(clients.keys()), Array.from(clients.values())],
        );
      }
      await db.query(
        `INSERT INTO history_cursors (pad_id, indexed_seq, built_rev) VALUES ($1, $2, 0)
         ON CONFLICT (pad_id) DO UPDATE SET indexed_seq = excluded.indexed_seq`,
        [padId, indexedSeq],
      );
    });
  }

  async setBuiltRev(padId: string, builtRev: number): Promise<void> {
    await this.pool.query('UPDATE history_cursors SET built_rev = $1 WHERE pad_id = $2', [builtRev, padId]);
  }

  private async oneRevision(sql: string, params: unknown[]): Promise<Revision | null> {
    const { rows } = await this.pool.query<RevisionRow>(sql, params);
    return rows[0] ? toRevision(rows[0]) : null;
  }

  lastRevision(padId: string): Promise<Revision | null> {
    return this.oneRevision(`SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE pad_id = $1 ORDER BY rev DESC LIMIT 1`, [padId]);
  }

  firstRevision(padId: string): Promise<Revision | null> {
    return this.oneRevision(`SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE pad_id = $1 ORDER BY rev LIMIT 1`, [padId]);
  }

  revision(padId: string, rev: number): Promise<Revision | null> {
    return this.oneRevision(`SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE pad_id = $1 AND rev = $2`, [padId, rev]);
  }

  async listRevisions(padId: string, afterRev: number, limit: number): Promise<Revision[]> {
    const { rows } = await this.pool.query<RevisionRow>(
      `SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE pad_id = $1 AND rev > $2 ORDER BY rev LIMIT $3`,
      [padId, afterRev, limit],
    );
    const parsed = new Map<string, string[]>();
    return rows.map((row) => {
      let authors = parsed.get(row.authors);
      if (!authors) parsed.set(row.authors, (authors = JSON.parse(row.authors) as string[]));
      return toRevision(row, authors);
    });
  }

  async keyframeAtOrBefore(padId: string, seq: number): Promise<Keyframe | null> {
    const { rows } = await this.pool.query<{ seq: number; rev: number; data: Buffer }>(
      'SELECT seq, rev, data FROM history_keyframes WHERE pad_id = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1',
      [padId, Math.min(seq, Number.MAX_SAFE_INTEGER)],
    );
    return rows[0] ? { seq: rows[0].seq, rev: rows[0].rev, data: bytes(rows[0].data) } : null;
  }

  async saveKeyframe(padId: string, keyframe: Keyframe): Promise<void> {
    await upsertKeyframe(this.pool, padId, keyframe);
  }

  async mergeLogRows(padId: string, firstSeq: number, lastSeq: number, merged: Uint8Array): Promise<void> {
    await transaction(this.pool, async (db) => {
      await db.query('DELETE FROM updates WHERE pad_id = $1 AND seq >= $2 AND seq < $3', [padId, firstSeq, lastSeq]);
      await db.query('UPDATE updates SET data = $1 WHERE pad_id = $2 AND seq = $3', [buffer(merged), padId, lastSeq]);
    });
  }

  async squashBefore(padId: string, squashed: Revision, keyframe: Keyframe): Promise<void> {
    await transaction(this.pool, async (db) => {
      // Loading starts from the latest snapshot: it must not need the log rows deleted here.
      const latest = await db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM snapshots WHERE pad_id = $1', [padId]);
      if ((latest.rows[0]?.seq ?? 0) < keyframe.seq) {
        await db.query(
          `INSERT INTO snapshots (pad_id, seq, time, data) VALUES ($1, $2, $3, $4)
           ON CONFLICT (pad_id, seq) DO UPDATE SET time = excluded.time, data = excluded.data`,
          [padId, keyframe.seq, Date.now(), buffer(keyframe.data)],
        );
        await db.query('DELETE FROM snapshots WHERE pad_id = $1 AND seq < $2', [padId, keyframe.seq]);
      }
      await upsertKeyframe(db, padId, keyframe);
      await db.query('DELETE FROM history_keyframes WHERE pad_id = $1 AND seq < $2', [padId, keyframe.seq]);
      await db.query('DELETE FROM updates WHERE pad_id = $1 AND seq <= $2', [padId, keyframe.seq]);
      await db.query('DELETE FROM history_revisions WHERE pad_id = $1 AND rev < $2', [padId, squashed.rev]);
      await upsertRevision(db, padId, squashed);
      await db.query('UPDATE saved_revisions SET rev = $1 WHERE pad_id = $2 AND rev < $1', [squashed.rev, padId]);
    });
  }

  async clients(padId: string): Promise<Map<number, string>> {
    const { rows } = await this.pool.query<{ client: number; author: string }>(
      'SELECT client, author FROM history_clients WHERE pad_id = $1',
      [padId],
    );
    return new Map(rows.map((row) => [row.client, row.author]));
  }

  async storedBytes(padId: string): Promise<{ log: number; keyframes: number; logRows: number; keyframeCount: number }> {
    const { rows } = await this.pool.query<{ log: number | null; log_rows: number; keyframes: number | null; keyframe_count: number }>(
      `SELECT (SELECT sum(length(data))::bigint FROM updates WHERE pad_id = $1) AS log,
              (SELECT count(*)::int FROM updates WHERE pad_id = $1) AS log_rows,
              (SELECT sum(length(data))::bigint FROM history_keyframes WHERE pad_id = $1) AS keyframes,
              (SELECT count(*)::int FROM history_keyframes WHERE pad_id = $1) AS keyframe_count`,
      [padId],
    );
    const row = rows[0];
    return { log: row?.log ?? 0, logRows: row?.log_rows ?? 0, keyframes: row?.keyframes ?? 0, keyframeCount: row?.keyframe_count ?? 0 };
  }

  async saveRevision(padId: string, rev: number, label: string, author: string): Promise<SavedRevision> {
    const createdAt = Date.now();
    const { rows } = await this.pool.query<{ id: number }>(
      'INSERT INTO saved_revisions (pad_id, rev, label, author, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [padId, rev, label, author, createdAt],
    );
    return { id: rows[0].id, rev, label, author, createdAt };
  }

  async savedRevisions(padId: string): Promise<SavedRevision[]> {
    const { rows } = await this.pool.query<{ id: number; rev: number; label: string; author: string; created_at: number }>(
      'SELECT id, rev, label, author, created_at FROM saved_revisions WHERE pad_id = $1 ORDER BY rev, id',
      [padId],
    );
    return rows.map((row) => ({ id: row.id, rev: row.rev, label: row.label, author: row.author, createdAt: row.created_at }));
  }

  async saveFork(padId: string, origin: ForkOrigin): Promise<void> {
    await this.pool.query(
      `INSERT INTO pad_forks (pad_id, forked_from, forked_rev, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (pad_id) DO UPDATE SET forked_from = excluded.forked_from, forked_rev = excluded.forked_rev, created_at = excluded.created_at`,
      [padId, origin.padId, origin.rev, origin.createdAt],
    );
  }

  async forkOrigin(padId: string): Promise<ForkOrigin | null> {
    const { rows } = await this.pool.query<{ forked_from: string; forked_rev: number; created_at: number }>(
      'SELECT forked_from, forked_rev, created_at FROM pad_forks WHERE pad_id = $1',
      [padId],
    );
    return rows[0] ? { padId: rows[0].forked_from, rev: rows[0].forked_rev, createdAt: rows[0].created_at } : null;
  }
}
