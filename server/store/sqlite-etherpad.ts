/**
 * The Etherpad migration's storage on SQLite (tables from migrations 1, 20, 30 and 50). An
 * import is one transaction on the log's connection (fsync included): the log rows go straight
 * to `update_log` with their seqs, next to the history index that describes them.
 */
import type Database from 'better-sqlite3';
import { newReadOnlyId } from '../access/read-only-id.js';
import { PadNotEmpty, type EtherpadStore } from '../etherpad/etherpad-store.js';
import type { ImportedPad } from '../etherpad/replay.js';
import { REVISION_COLUMNS } from './revision-rows.js';
import { LAST_SEQ_OF_PAD } from './sqlite-store.js';
import type { UpdateJournal } from './update-journal.js';

/** Tables holding a pad's data keyed by `pad_id`, with their other columns, for copies. */
const PAD_TABLES: readonly (readonly [table: string, columns: string])[] = [
  ['update_log', 'seq, time, author, data'],
  ['snapshots', 'seq, time, data'],
  ['client_ids', 'client_id, author'],
  ['history_revisions', REVISION_COLUMNS],
  ['history_keyframes', 'seq, rev, data'],
  ['history_clients', 'client, author'],
  ['history_cursors', 'indexed_seq, built_rev'],
  ['saved_revisions', 'rev, label, author, created_at'],
];

export class SqliteEtherpadStore implements EtherpadStore {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly journal: Pick<UpdateJournal, 'settle' | 'progress'>,
  ) {
    this.s = {
      lastSeq: db.prepare<[string], { last_seq: number }>(`SELECT ${LAST_SEQ_OF_PAD} AS last_seq FROM pads p WHERE p.id = ?`),
      hasSnapshot: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM snapshots WHERE pad_id = ?'),
      insertPad: db.prepare<[string, number, number, number, string]>(
        `INSERT INTO pads (id, created_at, updated_at, last_seq, read_only_id) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET created_at = min(created_at, excluded.created_at), updated_at = excluded.updated_at,
           last_seq = excluded.last_seq, read_only_id = coalesce(read_only_id, excluded.read_only_id)`,
      ),
      insertUpdate: db.prepare<[string, number, number, string, Uint8Array]>(
        'INSERT INTO update_log (pad_id, seq, time, author, data) VALUES (?, ?, ?, ?, ?)',
      ),
      insertClaim: db.prepare<[string, number, string]>('INSERT OR IGNORE INTO client_ids (pad_id, client_id, author) VALUES (?, ?, ?)'),
      insertRevision: db.prepare<[string, number, number, number, number, number, string, number, number, number, number]>(
        `INSERT OR REPLACE INTO history_revisions (pad_id, ${REVISION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertKeyframe: db.prepare<[string, number, number, Uint8Array]>(
        'INSERT OR REPLACE INTO history_keyframes (pad_id, seq, rev, data) VALUES (?, ?, ?, ?)',
      ),
      insertHistoryClient: db.prepare<[string, number, string]>(
        'INSERT OR IGNORE INTO history_clients (pad_id, client, author) VALUES (?, ?, ?)',
      ),
      setCursor: db.prepare<[string, number, number]>(
        `INSERT INTO history_cursors (pad_id, indexed_seq, built_rev) VALUES (?, ?, ?)
         ON CONFLICT (pad_id) DO UPDATE SET indexed_seq = excluded.indexed_seq, built_rev = excluded.built_rev`,
      ),
      insertSaved: db.prepare<[string, number, string, string, number]>(
        'INSERT INTO saved_revisions (pad_id, rev, label, author, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      insertSnapshot: db.prepare<[string, number, number, Uint8Array]>(
        'INSERT OR REPLACE INTO snapshots (pad_id, seq, time, data) VALUES (?, ?, ?, ?)',
      ),
      insertProfile: db.prepare<[string, string, string, number]>(
        'INSERT INTO authors (id, name, color, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      ),
      alias: db.prepare<[string], { pad_id: string }>('SELECT pad_id FROM pad_aliases WHERE alias = ?'),
      setAlias: db.prepare<[string, string, number]>(
        'INSERT INTO pad_aliases (alias, pad_id, created_at) VALUES (?, ?, ?) ON CONFLICT (alias) DO UPDATE SET pad_id = excluded.pad_id',
      ),
      rememberAuthor: db.prepare<[string, string]>(
        'INSERT INTO etherpad_authors (etherpad_id, author) VALUES (?, ?) ON CONFLICT (etherpad_id) DO NOTHING',
      ),
      authorFor: db.prepare<[string], { author: string }>('SELECT author FROM etherpad_authors WHERE etherpad_id = ?'),
      padRow: db.prepare<[string], { created_at: number; updated_at: number }>('SELECT created_at, updated_at FROM pads WHERE id = ?'),
    };
  }

  private isEmpty(padId: string): boolean {
    return (
      (this.s.lastSeq.get(padId)?.last_seq ?? 0) === 0 && (this.s.hasSnapshot.get(padId)?.n ?? 0) === 0 && !this.journal.progress(padId)
    );
  }

  async importPad(pad: ImportedPad): Promise<void> {
    this.journal.settle(pad.padId);
    const n = pad.updates.length;
    if (n === 0) throw new RangeError('An import needs at least one revision');
    this.db.transaction(() => {
      if (!this.isEmpty(pad.padId)) throw new PadNotEmpty(pad.padId);
      const { padId } = pad;
      this.s.insertPad.run(padId, pad.updates[0].time, pad.updates[n - 1].time, n, newReadOnlyId());
      pad.updates.forEach((u, i) => {
        this.s.insertUpdate.run(padId, i + 1, u.time, u.author, u.data);
        for (const client of u.claims) this.s.insertClaim.run(padId, client, u.author);
      });
      for (const [client, author] of pad.clients) {
        this.s.insertClaim.run(padId, client, author);
        this.s.insertHistoryClient.run(padId, client, author);
      }
      for (const r of pad.revisions) {
        this.s.insertRevision.run(
          padId,
          r.rev,
          r.firstSeq,
          r.lastSeq,
          r.startTime,
          r.endTime,
          JSON.stringify(r.authors),
          r.updates,
          r.bytes,
          r.inserted,
          r.deleted,
        );
      }
      for (const k of pad.keyframes) this.s.insertKeyframe.run(padId, k.seq, k.rev, k.data);
      // Every revision but the last is closed and built, as the indexer leaves a pad.
      this.s.setCursor.run(padId, n, n - 1);
      for (const saved of pad.saved) this.s.insertSaved.run(padId, saved.rev, saved.label, saved.author, saved.createdAt);
      this.s.insertSnapshot.run(padId, n, Date.now(), pad.snapshot);
      for (const [author, profile] of pad.profiles) this.s.insertProfile.run(author, profile.name, profile.color, Date.now());
      if (pad.alias) this.s.setAlias.run(pad.alias, padId, Date.now());
    })();
  }

  async aliasTarget(name: string): Promise<string | null> {
    return this.s.alias.get(name)?.pad_id ?? null;
  }

  async setAlias(name: string, padId: string): Promise<void> {
    this.s.setAlias.run(name, padId, Date.now());
  }

  async copyPad(from: string, to: string): Promise<void> {
    this.journal.settle(from);
    this.journal.settle(to);
    this.db.transaction(() => {
      if (!this.isEmpty(to)) throw new PadNotEmpty(to);
      const source = this.s.padRow.get(from);
      if (!source) throw new RangeError(`No pad "${from}" to copy`);
      this.s.insertPad.run(to, source.created_at, source.updated_at, this.s.lastSeq.get(from)?.last_seq ?? 0, newReadOnlyId());
      for (const [table, columns] of PAD_TABLES) {
        this.db
          .prepare(`INSERT OR REPLACE INTO ${table} (pad_id, ${columns}) SELECT ?, ${columns} FROM ${table} WHERE pad_id = ?`)
          .run(to, from);
      }
    })();
  }

  async rememberAuthorIds(pairs: readonly (readonly [string, string])[]): Promise<void> {
    if (pairs.length === 0) return;
    this.db.transaction(() => {
      for (const [etherpadId, author] of pairs) this.s.rememberAuthor.run(etherpadId, author);
    })();
  }

  async authorForEtherpadId(etherpadId: string): Promise<string | null> {
    return this.s.authorFor.get(etherpadId)?.author ?? null;
  }
}
