/**
 * The embedded store: one SQLite file in WAL mode. A pad is an append-only log of updates
 * (pad, seq, time, author, bytes) plus its latest snapshot; loading reads the snapshot and the
 * updates after it. Commits land in the update journal and reach the log (`update_log`) a few
 * seconds later (`update-journal.ts`): whatever reads a pad's log here settles the pad first.
 * better-sqlite3 is synchronous, so each call finishes its transaction (fsync included, with
 * synchronous=FULL) before the promise it returns settles.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthorProfile, Logger, NewUpdate, StoredPad, StoredTail, SyncStore } from '../sync/types.js';
import { PublicIdCache, newPublicAuthorId } from '../access/public-author-id.js';
import { newReadOnlyId } from '../access/read-only-id.js';
import { FreePageReclaimer, WAL_SIZE_LIMIT, enableIncrementalVacuum } from './sqlite-free-pages.js';
import { migrate } from './sqlite-migrations.js';
import { UpdateJournal, type JournalRow, type JournalTiming } from './update-journal.js';

/**
 * A pad's last seq and last edit time, as columns of a query over `pads p`. Commits leave the
 * `pads` row alone: with a thousand busy pads, rewriting it was a third of each commit's page
 * writes. The newest log row is the truth; `p.last_seq` and `p.updated_at` are a floor for
 * when the newest rows were squashed away (`SqliteHistoryStore.squashBefore` raises it first).
 */
const NEWEST_LOG_ROW = 'FROM update_log u WHERE u.pad_id = p.id ORDER BY u.seq DESC LIMIT 1';
/** A pad's last seq as an expression over `pads p` (see PAD_PROGRESS_COLUMNS). */
export const LAST_SEQ_OF_PAD = `max(p.last_seq, coalesce((SELECT u.seq ${NEWEST_LOG_ROW}), 0))`;
const LAST_SEQ_COLUMN = `${LAST_SEQ_OF_PAD} AS last_seq`;
export const PAD_PROGRESS_COLUMNS = `${LAST_SEQ_COLUMN},
  max(p.updated_at, coalesce((SELECT u.time ${NEWEST_LOG_ROW}), 0)) AS updated_at`;

export interface PadRow {
  id: string;
  createdAt: number;
  updatedAt: number;
  lastSeq: number;
}

export interface SqliteStoreOptions {
  dataDir: string;
  synchronous: 'FULL' | 'NORMAL';
  /** When journalled rows move to the log (tests shorten it). */
  journalTiming?: JournalTiming;
  /** For what fails in the background (journal moves) and what opening repaired. */
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** Called with each error of background writes (journal moves, releasing free pages). */
  onBackgroundFailure?: (err: Error) => void;
}

export class SqliteStore implements SyncStore {
  readonly db: Database.Database;
  readonly path: string;
  readonly journal: UpdateJournal;
  readonly freePages: FreePageReclaimer;
  private readonly statements;
  private readonly publicIds = new PublicIdCache();

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, 'gatherpad.sqlite');
    this.db = new Database(this.path);
    const logger = options.logger;
    if (!enableIncrementalVacuum(this.db))
      logger?.warn(
        { path: this.path },
        'could not turn on incremental vacuum (no room to rewrite the file?); tried again at the next start',
      );
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    this.db.pragma(`synchronous = ${options.synchronous}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.statements = {
      padById: this.db.prepare<[string], { id: string; created_at: number; updated_at: number; last_seq: number }>(
        `SELECT p.id, p.created_at, ${PAD_PROGRESS_COLUMNS} FROM pads p WHERE p.id = ?`,
      ),
      // Commits and loads need only this, not the last edit time (one index lookup less per pad).
      lastSeq: this.db.prepare<[string], { last_seq: number }>(`SELECT ${LAST_SEQ_COLUMN} FROM pads p WHERE p.id = ?`),
      latestSnapshot: this.db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM snapshots WHERE pad_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      updatesAfter: this.db.prepare<[string, number], { data: Buffer }>(
        'SELECT data FROM update_log WHERE pad_id = ? AND seq > ? ORDER BY seq',
      ),
      clientOwners: this.db.prepare<[string], { client_id: number; author: string }>(
        'SELECT client_id, author FROM client_ids WHERE pad_id = ?',
      ),
      insertClaim: this.db.prepare<[string, number, string]>(
        'INSERT OR IGNORE INTO client_ids (pad_id, client_id, author) VALUES (?, ?, ?)',
      ),
      readOnlyIdOf: this.db.prepare<[string], { read_only_id: string | null }>('SELECT read_only_id FROM pads WHERE id = ?'),
      insertPad: this.db.prepare<[string, number, number]>(
        'INSERT OR IGNORE INTO pads (id, created_at, updated_at, last_seq) VALUES (?, ?, ?, 0)',
      ),
      setReadOnlyId: this.db.prepare<[string, string]>('UPDATE pads SET read_only_id = ? WHERE id = ? AND read_only_id IS NULL'),
      padByReadOnlyId: this.db.prepare<[string], { id: string }>('SELECT id FROM pads WHERE read_only_id = ?'),
      editKey: this.db.prepare<[string], { key_hash: string }>('SELECT key_hash FROM edit_keys WHERE scope = ?'),
      setEditKey: this.db.prepare<[string, string, number]>(
        `INSERT INTO edit_keys (scope, key_hash, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (scope) DO UPDATE SET key_hash = excluded.key_hash, updated_at = excluded.updated_at`,
      ),
      deleteEditKey: this.db.prepare<[string]>('DELETE FROM edit_keys WHERE scope = ?'),
      insertUpdate: this.db.prepare<[string, number, number, string, Uint8Array]>(
        'INSERT INTO update_log (pad_id, seq, time, author, data) VALUES (?, ?, ?, ?, ?)',
      ),
      upsertAuthor: this.db.prepare<[string, string, string, number]>(
        `INSERT INTO authors (id, name, color, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, color = excluded.color, updated_at = excluded.updated_at`,
      ),
      authorById: this.db.prepare<[string], { id: string; name: string; color: string }>(
        'SELECT id, name, color FROM authors WHERE id = ?',
      ),
      insertPublicId: this.db.prepare<[string, string]>('INSERT OR IGNORE INTO author_public_ids (author, public_id) VALUES (?, ?)'),
      publicIdOf: this.db.prepare<[string], { public_id: string }>('SELECT public_id FROM author_public_ids WHERE author = ?'),
    };
    const backgroundFailure = options.onBackgroundFailure ?? (() => {});
    this.journal = new UpdateJournal(this.db, this.derivedDb(), {
      timing: options.journalTiming,
      onMoveFailed: (err) => {
        backgroundFailure(err);
        logger?.warn({ err }, 'moving journal rows to the log failed; they wait and are tried again');
      },
      onRepaired: ({ alreadyMoved, renumbered }) =>
        logger?.warn(
          { alreadyMoved, renumbered: Object.fromEntries(renumbered) },
          'update journal repaired on open: rows with a seq already used got fresh seqs (all kept)',
        ),
    });
    this.journal.start();
    this.freePages = new FreePageReclaimer(this.derivedDb(), backgroundFailure);
    this.freePages.start();
  }

  /** A one-row write (what /healthz tries after storage failed): throws if storage takes none. */
  probeWrite(): void {
    this.derivedDb().prepare('INSERT OR REPLACE INTO storage_probe (id, at) VALUES (1, ?)').run(Date.now());
  }

  async loadPad(padId: string): Promise<StoredPad> {
    // Outside the transaction: it commits on the other connection.
    this.journal.settle(padId);
    return this.db.transaction(() => {
      const lastSeq = this.statements.lastSeq.get(padId)?.last_seq ?? 0;
      const snapshot = this.statements.latestSnapshot.get(padId);
      const tail = this.statements.updatesAfter.all(padId, snapshot?.seq ?? 0).map((row) => new Uint8Array(row.data));
      const clientOwners = new Map(this.statements.clientOwners.all(padId).map((row) => [row.client_id, row.author]));
      return {
        snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
        tail,
        lastSeq,
        updatesSinceSnapshot: tail.length,
        clientOwners,
        storedBytes: (snapshot?.data.length ?? 0) + tail.reduce((sum, u) => sum + u.length, 0),
      };
    })();
  }

  async appendUpdates(records: readonly NewUpdate[]): Promise<number[]> {
    for (const record of records) if (record.seq !== undefined) this.journal.settle(record.padId);
    const { seqs, journalled } = this.appendTransaction(records);
    this.journal.committed(journalled);
    return seqs;
  }

  /**
   * The next seq of each pad follows its last one: this process is the only writer. A seq
   * chosen by the caller (tools, tests) goes straight to the log, where a duplicate fails. A
   * pad's first update creates the pad (a pad only opened is not stored), in the same commit.
   */
  private readonly appendTransaction = (records: readonly NewUpdate[]) =>
    this.db.transaction(() => {
      const lastByPad = new Map<string, number>();
      const seqs: number[] = [];
      const journalled: JournalRow[] = [];
      for (const record of records) {
        const { padId } = record;
        if (!lastByPad.has(padId)) this.ensurePad(padId);
        const before = lastByPad.get(padId) ?? this.journal.progress(padId)?.lastSeq ?? this.statements.lastSeq.get(padId)?.last_seq ?? 0;
        const seq = record.seq ?? before + 1;
        if (record.seq === undefined) {
          journalled.push({ padId, seq, time: record.time, id: this.journal.append(padId, seq, record.time, record.author, record.data) });
        } else {
          this.statements.insertUpdate.run(padId, seq, record.time, record.author, record.data);
        }
        for (const client of record.claims) this.statements.insertClaim.run(padId, client, record.author);
        lastByPad.set(padId, Math.max(seq, before));
        seqs.push(seq);
      }
      return { seqs, journalled };
    })();

  async readTail(padId: string, afterSeq: number): Promise<StoredTail> {
    this.journal.settle(padId);
    return this.db.transaction(() => {
      const snapshot = this.statements.latestSnapshot.get(padId);
      const newer = snapshot && snapshot.seq > afterSeq ? snapshot : undefined;
      const updates = this.statements.updatesAfter.all(padId, newer?.seq ?? afterSeq).map((row) => new Uint8Array(row.data));
      return {
        snapshot: newer ? new Uint8Array(newer.data) : null,
        updates,
        lastSeq: this.statements.lastSeq.get(padId)?.last_seq ?? 0,
        clientOwners: new Map(this.statements.clientOwners.all(padId).map((row) => [row.client_id, row.author])),
      };
    })();
  }

  /**
   * A snapshot is derived from the log (an older snapshot plus the log after it rebuilds the
   * same document), so it is written on the connection that skips the fsync: the next log
   * commit's fsync makes it durable. An fsync of its own was most of the loop's time for a
   * snapshot write with thousands of busy pads (docs/architecture.md, Loading and unloading).
   */
  async writeSnapshot(padId: string, seq: number, state: Uint8Array): Promise<void> {
    this.snapshotWrite ??= this.prepareSnapshotWrite();
    this.snapshotWrite(padId, seq, state);
  }

  private snapshotWrite: ((padId: string, seq: number, state: Uint8Array) => void) | null = null;

  private prepareSnapshotWrite(): (padId: string, seq: number, state: Uint8Array) => void {
    const db = this.derivedDb();
    const insert = db.prepare<[string, number, number, Uint8Array]>(
      'INSERT OR REPLACE INTO snapshots (pad_id, seq, time, data) VALUES (?, ?, ?, ?)',
    );
    const deleteOlder = db.prepare<[string, number]>('DELETE FROM snapshots WHERE pad_id = ? AND seq < ?');
    return db.transaction((padId: string, seq: number, state: Uint8Array) => {
      insert.run(padId, seq, Date.now(), state);
      deleteOlder.run(padId, seq);
    });
  }

  async getPad(padId: string): Promise<PadRow | null> {
    const row = this.statements.padById.get(padId);
    if (!row) return null;
    const waiting = this.journal.progress(padId);
    return {
      id: row.id,
      createdAt: row.created_at,
      updatedAt: Math.max(row.updated_at, waiting?.lastTime ?? 0),
      lastSeq: Math.max(row.last_seq, waiting?.lastSeq ?? 0),
    };
  }

  async createPad(padId: string): Promise<void> {
    this.db.transaction(() => this.ensurePad(padId))();
  }

  /** Creates the pad record (with its read-only id) if it does not exist; inside a transaction. */
  private ensurePad(padId: string): void {
    if (this.statements.readOnlyIdOf.get(padId)?.read_only_id) return;
    const now = Date.now();
    this.statements.insertPad.run(padId, now, now);
    this.statements.setReadOnlyId.run(newReadOnlyId(), padId);
  }

  async readOnlyIdOf(padId: string): Promise<string | null> {
    return this.statements.readOnlyIdOf.get(padId)?.read_only_id ?? null;
  }

  async padIdForReadOnlyId(readOnlyId: string): Promise<string | null> {
    return this.padIdForReadOnlyIdNow(readOnlyId);
  }

  /** Synchronous form, for Fastify's synchronous `rewriteUrl`. */
  padIdForReadOnlyIdNow(readOnlyId: string): string | null {
    return this.statements.padByReadOnlyId.get(readOnlyId)?.id ?? null;
  }

  /** The hash of the edit key for a scope (`pad:<id>`, `team:<event>/<team>`, `event:<event>`). */
  async editKeyHash(scope: string): Promise<string | null> {
    return this.statements.editKey.get(scope)?.key_hash ?? null;
  }

  async setEditKeyHash(scope: string, keyHash: string | null): Promise<void> {
    if (keyHash === null) this.statements.deleteEditKey.run(scope);
    else this.statements.setEditKey.run(scope, keyHash, Date.now());
  }

  /** Records the latest name and colour an author used. */
  async saveAuthor(author: string, profile: AuthorProfile): Promise<void> {
    this.statements.upsertAuthor.run(author, profile.name, profile.color, Date.now());
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
    this.db.transaction(() => {
      for (const id of missing) {
        this.statements.insertPublicId.run(id, newPublicAuthorId());
        const publicId = this.statements.publicIdOf.get(id)!.public_id;
        this.publicIds.set(id, publicId);
        result.set(id, publicId);
      }
    })();
    return result;
  }

  async getAuthors(ids: readonly string[]): Promise<Map<string, AuthorProfile>> {
    const result = new Map<string, AuthorProfile>();
    for (const id of new Set(ids)) {
      const row = this.statements.authorById.get(id);
      if (row) result.set(id, { name: row.name, color: row.color });
    }
    return result;
  }

  private derived: Database.Database | null = null;

  /**
   * A second connection to the same file for data derived from the log (snapshots, search and
   * history indexes, merged history rows): its commits skip the fsync (synchronous=NORMAL in
   * WAL mode), since the log can rebuild them, and the next log commit's fsync makes them
   * durable anyway.
   * With hundreds of busy pads, their own fsyncs took more of the event loop than the log's.
   */
  derivedDb(): Database.Database {
    if (!this.derived) {
      this.derived = new Database(this.path);
      this.derived.pragma('synchronous = NORMAL');
      this.derived.pragma('foreign_keys = ON');
      this.derived.pragma('busy_timeout = 5000');
    }
    return this.derived;
  }

  close(): void {
    this.journal.stop();
    this.freePages.stop();
    try {
      if (this.db.open && this.derived?.open) this.journal.settleAll();
    } catch {
      // Rows that cannot move now (a full disk) stay in the journal: the next open moves them.
    }
    if (this.derived?.open) this.derived.close();
    if (this.db.open) this.db.close();
  }
}
