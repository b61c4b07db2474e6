/**
 * Pads on PostgreSQL: the append-only update log with a per-pad sequence, snapshots, client-id
 * claims, read-only ids, edit keys and author profiles (same tables and meaning as
 * `sqlite-store.ts`).
 *
 * Seqs: `appendUpdates` raises `pads.last_seq` by the number of new updates and inserts them
 * under the seqs it returns, in the same transaction. The row lock on the pad orders writers
 * from every process: a later writer waits until the earlier one commits, so a reader never
 * sees seq n+1 without seq n. Pads are locked in id order, so batches never deadlock.
 */
import type pg from 'pg';
import { PublicIdCache, newPublicAuthorId } from '../../access/public-author-id.js';
import { newReadOnlyId } from '../../access/read-only-id.js';
import type { AuthorProfile, NewUpdate, StoredPad, StoredTail } from '../../sync/types.js';
import type { PadRow } from '../sqlite-store.js';
import type { PadStore } from '../pad-store.js';
import { bytes, transaction, type Queryable } from './pg-pool.js';

/** Read-only ids never change once given, so lookups are cached (for the synchronous URL rewrite). */
const READ_ONLY_CACHE = 10_000;

export class PgPadStore implements PadStore {
  private readonly readOnlyCache = new Map<string, string>();
  private readonly publicIds = new PublicIdCache();

  constructor(private readonly pool: pg.Pool) {}

  async loadPad(padId: string): Promise<StoredPad> {
    return transaction(
      this.pool,
      async (client) => {
        const tail = await this.tailAfter(client, padId, 0);
        const snapshotBytes = tail.snapshot?.length ?? 0;
        return {
          snapshot: tail.snapshot,
          tail: tail.updates,
          lastSeq: tail.lastSeq,
          updatesSinceSnapshot: tail.updates.length,
          clientOwners: tail.clientOwners,
          storedBytes: snapshotBytes + tail.updates.reduce((sum, u) => sum + u.length, 0),
        };
      },
      'repeatable read only',
    );
  }

  async readTail(padId: string, afterSeq: number): Promise<StoredTail> {
    return transaction(this.pool, (client) => this.tailAfter(client, padId, afterSeq), 'repeatable read only');
  }

  /** The latest snapshot if newer than `afterSeq`, and the updates after it; one consistent read. */
  private async tailAfter(client: Queryable, padId: string, afterSeq: number): Promise<StoredTail> {
    const pad = await client.query<{ last_seq: number }>('SELECT last_seq FROM pads WHERE id = $1', [padId]);
    const snap = await client.query<{ seq: number; data: Buffer }>(
      'SELECT seq, data FROM snapshots WHERE pad_id = $1 AND seq > $2 ORDER BY seq DESC LIMIT 1',
      [padId, afterSeq],
    );
    const from = snap.rows[0]?.seq ?? afterSeq;
    const updates = await client.query<{ data: Buffer }>('SELECT data FROM updates WHERE pad_id = $1 AND seq > $2 ORDER BY seq', [
      padId,
      from,
    ]);
    const owners = await client.query<{ client_id: number; author: string }>('SELECT client_id, author FROM client_ids WHERE pad_id = $1', [
      padId,
    ]);
    return {
      snapshot: snap.rows[0] ? bytes(snap.rows[0].data) : null,
      updates: updates.rows.map((row) => bytes(row.data)),
      lastSeq: pad.rows[0]?.last_seq ?? 0,
      clientOwners: new Map(owners.rows.map((row) => [row.client_id, row.author])),
    };
  }

  async appendUpdates(records: readonly NewUpdate[]): Promise<number[]> {
    if (records.length === 0) return [];
    const byPad = new Map<string, number[]>();
    records.forEach((record, i) => {
      if (record.seq !== undefined) throw new RangeError('PostgreSQL assigns seqs itself: leave NewUpdate.seq out');
      const list = byPad.get(record.padId);
      if (list) list.push(i);
      else byPad.set(record.padId, [i]);
    });
    const padIds = Array.from(byPad.keys()).sort();
    return transaction(this.pool, async (client) => {
      const seqs: number[] = new Array(records.length);
      for (const padId of padIds) {
        const indexes = byPad.get(padId)!;
        const time = Math.max(...indexes.map((i) => records[i].time));
        // A pad's first update creates it (with its read-only id): opening a pad stores nothing.
        const result = await client.query<{ last_seq: number }>(
          `INSERT INTO pads (id, created_at, updated_at, last_seq, read_only_id) VALUES ($1, $3, $3, $2, $4)
           ON CONFLICT (id) DO UPDATE SET last_seq = pads.last_seq + $2, updated_at = GREATEST(pads.updated_at, $3),
             read_only_id = COALESCE(pads.read_only_id, excluded.read_only_id)
           RETURNING last_seq`,
          [padId, indexes.length, time, newReadOnlyId()],
        );
        const first = result.rows[0].last_seq - indexes.length + 1;
        indexes.forEach((recordIndex, k) => (seqs[recordIndex] = first + k));
      }
      const cols = { pad: [] as string[], seq: [] as number[], time: [] as number[], author: [] as string[], data: [] as Buffer[] };
      const claims = { pad: [] as string[], client: [] as number[], author: [] as string[] };
      records.forEach((record, i) => {
        cols.pad.push(record.padId);
        cols.seq.push(seqs[i]);
        cols.time.push(record.time);
        cols.author.push(record.author);
        cols.data.push(Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength));
        for (const c of record.claims) {
          claims.pad.push(record.padId);
          claims.client.push(c);
          claims.author.push(record.author);
        }
      });
      await client.query(
        `INSERT INTO updates (pad_id, seq, time, author, data)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bytea[])`,
        [cols.pad, cols.seq, cols.time, cols.author, cols.data],
      );
      if (claims.pad.length > 0) {
        await client.query(
          `INSERT INTO client_ids (pad_id, client_id, author)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ON CONFLICT DO NOTHING`,
          [claims.pad, claims.client, claims.author],
        );
      }
      return seqs;
    });
  }

  async writeSnapshot(padId: string, seq: number, state: Uint8Array): Promise<void> {
    await transaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO snapshots (pad_id, seq, time, data) VALUES ($1, $2, $3, $4)
         ON CONFLICT (pad_id, seq) DO UPDATE SET time = excluded.time, data = excluded.data`,
        [padId, seq, Date.now(), Buffer.from(state.buffer, state.byteOffset, state.byteLength)],
      );
      await client.query('DELETE FROM snapshots WHERE pad_id = $1 AND seq < $2', [padId, seq]);
    });
  }

  async getPad(padId: string): Promise<PadRow | null> {
    const { rows } = await this.pool.query<{ id: string; created_at: number; updated_at: number; last_seq: number }>(
      'SELECT id, created_at, updated_at, last_seq FROM pads WHERE id = $1',
      [padId],
    );
    const row = rows[0];
    return row ? { id: row.id, createdAt: row.created_at, updatedAt: row.updated_at, lastSeq: row.last_seq } : null;
  }

  async createPad(padId: string): Promise<void> {
    const now = Date.now();
    await this.pool.query(
      `INSERT INTO pads (id, created_at, updated_at, last_seq, read_only_id) VALUES ($1, $2, $2, 0, $3)
       ON CONFLICT (id) DO UPDATE SET read_only_id = $3 WHERE pads.read_only_id IS NULL`,
      [padId, now, newReadOnlyId()],
    );
  }

  async readOnlyIdOf(padId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ read_only_id: string | null }>('SELECT read_only_id FROM pads WHERE id = $1', [padId]);
    return rows[0]?.read_only_id ?? null;
  }

  async padIdForReadOnlyId(readOnlyId: string): Promise<string | null> {
    const cached = this.readOnlyCache.get(readOnlyId);
    if (cached) return cached;
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM pads WHERE read_only_id = $1', [readOnlyId]);
    const padId = rows[0]?.id ?? null;
    if (padId) {
      if (this.readOnlyCache.size >= READ_ONLY_CACHE) this.readOnlyCache.delete(this.readOnlyCache.keys().next().value!);
      this.readOnlyCache.set(readOnlyId, padId);
    }
    return padId;
  }

  /** From the cache only: undefined when not known without a query. */
  padIdForReadOnlyIdNow(readOnlyId: string): string | null | undefined {
    return this.readOnlyCache.get(readOnlyId);
  }

  async editKeyHash(scope: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ key_hash: string }>('SELECT key_hash FROM edit_keys WHERE scope = $1', [scope]);
    return rows[0]?.key_hash ?? null;
  }

  async setEditKeyHash(scope: string, keyHash: string | null): Promise<void> {
    if (keyHash === null) await this.pool.query('DELETE FROM edit_keys WHERE scope = $1', [scope]);
    else {
      await this.pool.query(
        `INSERT INTO edit_keys (scope, key_hash, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (scope) DO UPDATE SET key_hash = excluded.key_hash, updated_at = excluded.updated_at`,
        [scope, keyHash, Date.now()],
      );
    }
  }

  async saveAuthor(author: string, profile: AuthorProfile): Promise<void> {
    await this.pool.query(
      `INSERT INTO authors (id, name, color, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, color = excluded.color, updated_at = excluded.updated_at`,
      [author, profile.name, profile.color, Date.now()],
    );
  }

  async publicAuthorIds(ids: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const known = this.publicIds.get(id);
      if (known) result.set(id, known);
      else missing.push(id);
    }
    if (missing.length === 0) return result;
    // Another process may give an id at the same time: the first one stored wins.
    await this.pool.query(
      `INSERT INTO author_public_ids (author, public_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (author) DO NOTHING`,
      [missing, missing.map(() => newPublicAuthorId())],
    );
    const { rows } = await this.pool.query<{ author: string; public_id: string }>(
      'SELECT author, public_id FROM author_public_ids WHERE author = ANY($1::text[])',
      [missing],
    );
    for (const row of rows) {
      this.publicIds.set(row.author, row.public_id);
      result.set(row.author, row.public_id);
    }
    return result;
  }

  async getAuthors(ids: readonly string[]): Promise<Map<string, AuthorProfile>> {
    const result = new Map<string, AuthorProfile>();
    if (ids.length === 0) return result;
    const { rows } = await this.pool.query<{ id: string; name: string; color: string }>(
      'SELECT id, name, color FROM authors WHERE id = ANY($1::text[])',
      [Array.from(new Set(ids))],
    );
    for (const row of rows) result.set(row.id, { name: row.name, color: row.color });
    return result;
  }

  /** The team whose pads `padId` belongs to (`<event>-<team>` or `<event>-<team>-...`), longest match. */
  async teamOfPad(padId: string): Promise<{ event: string; slug: string } | null> {
    const { rows } = await this.pool.query<{ event: string; slug: string }>(
      `SELECT event, slug FROM event_teams
        WHERE event || '-' || slug = $1 OR starts_with($1, event || '-' || slug || '-')
        ORDER BY length(event) + length(slug) DESC LIMIT 1`,
      [padId],
    );
    return rows[0] ?? null;
  }

  close(): void {}
}
