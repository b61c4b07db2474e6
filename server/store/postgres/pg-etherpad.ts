/**
 * The Etherpad migration's storage on PostgreSQL (same tables and meaning as
 * `sqlite-etherpad.ts`). An import locks the pad row (creating it if needed), so a concurrent
 * commit from any process either lands before it (and the import is refused) or waits and
 * takes the seqs after the imported ones.
 */
import type pg from 'pg';
import { newReadOnlyId } from '../../access/read-only-id.js';
import { PadNotEmpty, type EtherpadStore } from '../../etherpad/etherpad-store.js';
import type { ImportedPad } from '../../etherpad/replay.js';
import { REVISION_COLUMNS } from '../revision-rows.js';
import { transaction, type Queryable } from './pg-pool.js';

const PAD_TABLES: readonly (readonly [table: string, columns: string])[] = [
  ['updates', 'seq, time, author, data'],
  ['snapshots', 'seq, time, data'],
  ['client_ids', 'client_id, author'],
  ['history_revisions', REVISION_COLUMNS],
  ['history_keyframes', 'seq, rev, data'],
  ['history_clients', 'client, author'],
  ['history_cursors', 'indexed_seq, built_rev'],
  ['saved_revisions', 'rev, label, author, created_at'],
];

const buffer = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

export class PgEtherpadStore implements EtherpadStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Locks the pad's row (made if missing) and throws PadNotEmpty if the pad holds anything. */
  private async lockEmpty(client: Queryable, padId: string): Promise<void> {
    const now = Date.now();
    await client.query(
      `INSERT INTO pads (id, created_at, updated_at, last_seq, read_only_id) VALUES ($1, $2, $2, 0, $3)
       ON CONFLICT (id) DO NOTHING`,
      [padId, now, newReadOnlyId()],
    );
    const { rows } = await client.query<{ last_seq: number; snapshots: number }>(
      `SELECT last_seq, (SELECT count(*)::int FROM snapshots WHERE pad_id = $1) AS snapshots FROM pads WHERE id = $1 FOR UPDATE`,
      [padId],
    );
    if (rows[0].last_seq > 0 || rows[0].snapshots > 0) throw new PadNotEmpty(padId);
  }

  async importPad(pad: ImportedPad): Promise<void> {
    const { padId } = pad;
    const n = pad.updates.length;
    if (n === 0) throw new RangeError('An import needs at least one revision');
    await transaction(this.pool, async (client) => {
      await this.lockEmpty(client, padId);
      await client.query(
        `UPDATE pads SET created_at = LEAST(created_at, $2), updated_at = $3, last_seq = $4, read_only_id = coalesce(read_only_id, $5) WHERE id = $1`,
        [padId, pad.updates[0].time, pad.updates[n - 1].time, n, newReadOnlyId()],
      );
      await client.query(
        `INSERT INTO updates (pad_id, seq, time, author, data)
         SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bytea[])`,
        [
          padId,
          pad.updates.map((_, i) => i + 1),
          pad.updates.map((u) => u.time),
          pad.updates.map((u) => u.author),
          pad.updates.map((u) => buffer(u.data)),
        ],
      );
      const clients = Array.from(pad.clients);
      await client.query(
        `INSERT INTO client_ids (pad_id, client_id, author) SELECT $1, * FROM unnest($2::bigint[], $3::text[]) ON CONFLICT DO NOTHING`,
        [padId, clients.map(([c]) => c), clients.map(([, a]) => a)],
      );
      await client.query(
        `INSERT INTO history_clients (pad_id, client, author) SELECT $1, * FROM unnest($2::bigint[], $3::text[]) ON CONFLICT DO NOTHING`,
        [padId, clients.map(([c]) => c), clients.map(([, a]) => a)],
      );
      const r = pad.revisions;
      await client.query(
        `INSERT INTO history_revisions (pad_id, ${REVISION_COLUMNS})
         SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[])`,
        [
          padId,
          r.map((x) => x.rev),
          r.map((x) => x.firstSeq),
          r.map((x) => x.lastSeq),
          r.map((x) => x.startTime),
          r.map((x) => x.endTime),
          r.map((x) => JSON.stringify(x.authors)),
          r.map((x) => x.updates),
          r.map((x) => x.bytes),
          r.map((x) => x.inserted),
          r.map((x) => x.deleted),
        ],
      );
      for (const k of pad.keyframes) {
        await client.query('INSERT INTO history_keyframes (pad_id, seq, rev, data) VALUES ($1, $2, $3, $4)', [
          padId,
          k.seq,
          k.rev,
          buffer(k.data),
        ]);
      }
      await client.query(
        `INSERT INTO history_cursors (pad_id, indexed_seq, built_rev) VALUES ($1, $2, $3)
         ON CONFLICT (pad_id) DO UPDATE SET indexed_seq = excluded.indexed_seq, built_rev = excluded.built_rev`,
        [padId, n, n - 1],
      );
      for (const saved of pad.saved) {
        await client.query('INSERT INTO saved_revisions (pad_id, rev, label, author, created_at) VALUES ($1, $2, $3, $4, $5)', [
          padId,
          saved.rev,
          saved.label,
          saved.author,
          saved.createdAt,
        ]);
      }
      await client.query('INSERT INTO snapshots (pad_id, seq, time, data) VALUES ($1, $2, $3, $4)', [
        padId,
        n,
        Date.now(),
        buffer(pad.snapshot),
      ]);
      for (const [author, profile] of pad.profiles) {
        await client.query('INSERT INTO authors (id, name, color, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
          author,
          profile.name,
          profile.color,
          Date.now(),
        ]);
      }
      if (pad.alias) await this.writeAlias(client, pad.alias, padId);
    });
  }

  async aliasTarget(name: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ pad_id: string }>('SELECT pad_id FROM pad_aliases WHERE alias = $1', [name]);
    return rows[0]?.pad_id ?? null;
  }

  async setAlias(name: string, padId: string): Promise<void> {
    await this.writeAlias(this.pool, name, padId);
  }

  private async writeAlias(db: Queryable, name: string, padId: string): Promise<void> {
    await db.query(
      'INSERT INTO pad_aliases (alias, pad_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (alias) DO UPDATE SET pad_id = excluded.pad_id',
      [name, padId, Date.now()],
    );
  }

  async copyPad(from: string, to: string): Promise<void> {
    await transaction(this.pool, async (client) => {
      await this.lockEmpty(client, to);
      const { rows } = await client.query<{ created_at: number; updated_at: number; last_seq: number }>(
        'SELECT created_at, updated_at, last_seq FROM pads WHERE id = $1',
        [from],
      );
      if (!rows[0]) throw new RangeError(`No pad "${from}" to copy`);
      await client.query('UPDATE pads SET created_at = $2, updated_at = $3, last_seq = $4 WHERE id = $1', [
        to,
        rows[0].created_at,
        rows[0].updated_at,
        rows[0].last_seq,
      ]);
      for (const [table, columns] of PAD_TABLES) {
        await client.query(
          `INSERT INTO ${table} (pad_id, ${columns}) SELECT $1, ${columns} FROM ${table} WHERE pad_id = $2 ON CONFLICT DO NOTHING`,
          [to, from],
        );
      }
    });
  }

  async rememberAuthorIds(pairs: readonly (readonly [string, string])[]): Promise<void> {
    if (pairs.length === 0) return;
    await this.pool.query(
      'INSERT INTO etherpad_authors (etherpad_id, author) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
      [pairs.map(([e]) => e), pairs.map(([, a]) => a)],
    );
  }

  async authorForEtherpadId(etherpadId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ author: string }>('SELECT author FROM etherpad_authors WHERE etherpad_id = $1', [etherpadId]);
    return rows[0]?.author ?? null;
  }
}
