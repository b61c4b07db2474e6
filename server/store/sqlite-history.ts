/**
 * SQLite implementation of the history store (tables from migration 20): revisions, keyframes,
 * client-id authorship, saved revisions and fork links, next to the log (`update_log`) it reads.
 */
import type Database from 'better-sqlite3';
import type { ForkOrigin, HistoryCursor, HistoryStore, Keyframe, LogUpdate, Revision, SavedRevision } from '../history/types.js';
import { REVISION_COLUMNS, toRevision, type RevisionRow } from './revision-rows.js';
import type { UpdateJournal } from './update-journal.js';

export class SqliteHistoryStore implements HistoryStore {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    /** Whatever reads or rewrites a pad's log settles the pad first. */
    private readonly journal: Pick<UpdateJournal, 'settle'>,
  ) {
    this.s = {
      cursor: db.prepare<[string], { indexed_seq: number; built_rev: number }>(
        'SELECT indexed_seq, built_rev FROM history_cursors WHERE pad_id = ?',
      ),
      setIndexed: db.prepare<[string, number]>(
        `INSERT INTO history_cursors (pad_id, indexed_seq, built_rev) VALUES (?, ?, 0)
         ON CONFLICT (pad_id) DO UPDATE SET indexed_seq = excluded.indexed_seq`,
      ),
      setBuilt: db.prepare<[number, string]>('UPDATE history_cursors SET built_rev = ? WHERE pad_id = ?'),
      readUpdates: db.prepare<[string, number, number, number], { seq: number; time: number; author: string; data: Buffer }>(
        'SELECT seq, time, author, data FROM update_log WHERE pad_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
      ),
      upsertRevision: db.prepare<[string, number, number, number, number, number, string, number, number, number, number]>(
        `INSERT OR REPLACE INTO history_revisions (pad_id, ${REVISION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertClient: db.prepare<[string, number, string]>('INSERT OR IGNORE INTO history_clients (pad_id, client, author) VALUES (?, ?, ?)'),
      lastRevision: db.prepare<[string], RevisionRow>(
        `SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE pad_id = ? ORDER BY rev DESC LIMIT 1`,
      ),
      firstRevision: db.prepare<[string], RevisionRow>(
        `SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE pad_id = ? ORDER BY rev LIMIT 1`,
      ),
      revision: db.prepare<[string, number], RevisionRow>(`SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE pad_id = ? AND rev = ?`),
      listRevisions: db.prepare<[string, number, number], RevisionRow>(
        `SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE pad_id = ? AND rev > ? ORDER BY rev LIMIT ?`,
      ),
      keyframeAtOrBefore: db.prepare<[string, number], { seq: number; rev: number; data: Buffer }>(
        'SELECT seq, rev, data FROM history_keyframes WHERE pad_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1',
      ),
      insertKeyframe: db.prepare<[string, number, number, Uint8Array]>(
        'INSERT OR REPLACE INTO history_keyframes (pad_id, seq, rev, data) VALUES (?, ?, ?, ?)',
      ),
      deleteLogRange: db.prepare<[string, number, number]>('DELETE FROM update_log WHERE pad_id = ? AND seq >= ? AND seq < ?'),
      setLogRow: db.prepare<[Uint8Array, string, number]>('UPDATE update_log SET data = ? WHERE pad_id = ? AND seq = ?'),
      deleteLogUpTo: db.prepare<[string, number]>('DELETE FROM update_log WHERE pad_id = ? AND seq <= ?'),
      // Commits do not keep `pads.last_seq` (PAD_PROGRESS_COLUMNS): deleting the newest rows must.
      raiseProgressFloor: db.prepare<{ pad: string; seq: number }>(
        `UPDATE pads SET
           last_seq = max(last_seq, coalesce((SELECT seq FROM update_log WHERE pad_id = @pad AND seq <= @seq ORDER BY seq DESC LIMIT 1), 0)),
           updated_at = max(updated_at, coalesce((SELECT time FROM update_log WHERE pad_id = @pad AND seq <= @seq ORDER BY seq DESC LIMIT 1), 0))
         WHERE id = @pad`,
      ),
      deleteKeyframesBefore: db.prepare<[string, number]>('DELETE FROM history_keyframes WHERE pad_id = ? AND seq < ?'),
      deleteRevisionsBefore: db.prepare<[string, number]>('DELETE FROM history_revisions WHERE pad_id = ? AND rev < ?'),
      moveSavedRevisions: db.prepare<[number, string, number]>('UPDATE saved_revisions SET rev = ? WHERE pad_id = ? AND rev < ?'),
      latestSnapshotSeq: db.prepare<[string], { seq: number }>('SELECT MAX(seq) AS seq FROM snapshots WHERE pad_id = ?'),
      insertSnapshot: db.prepare<[string, number, number, Uint8Array]>(
        'INSERT OR REPLACE INTO snapshots (pad_id, seq, time, data) VALUES (?, ?, ?, ?)',
      ),
      deleteSnapshotsBefore: db.prepare<[string, number]>('DELETE FROM snapshots WHERE pad_id = ? AND seq < ?'),
      clients: db.prepare<[string], { client: number; author: string }>('SELECT client, author FROM history_clients WHERE pad_id = ?'),
      logBytes: db.prepare<[string], { bytes: number | null; rows: number }>(
        'SELECT SUM(LENGTH(data)) AS bytes, COUNT(*) AS rows FROM update_log WHERE pad_id = ?',
      ),
      keyframeBytes: db.prepare<[string], { bytes: number | null; rows: number }>(
        'SELECT SUM(LENGTH(data)) AS bytes, COUNT(*) AS rows FROM history_keyframes WHERE pad_id = ?',
      ),
      insertSaved: db.prepare<[string, number, string, string, number]>(
        'INSERT INTO saved_revisions (pad_id, rev, label, author, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      saved: db.prepare<[string], { id: number; rev: number; label: string; author: string; created_at: number }>(
        'SELECT id, rev, label, author, created_at FROM saved_revisions WHERE pad_id = ? ORDER BY rev, id',
      ),
      insertFork: db.prepare<[string, string, number, number]>(
        'INSERT OR REPLACE INTO pad_forks (pad_id, forked_from, forked_rev, created_at) VALUES (?, ?, ?, ?)',
      ),
      fork: db.prepare<[string], { forked_from: string; forked_rev: number; created_at: number }>(
        'SELECT forked_from, forked_rev, created_at FROM pad_forks WHERE pad_id = ?',
      ),
    };
  }

  async cursor(padId: string): Promise<HistoryCursor> {
    const row = this.s.cursor.get(padId);
    return { indexedSeq: row?.indexed_seq ?? 0, builtRev: row?.built_rev ?? 0 };
  }

  async readUpdates(padId: string, afterSeq: number, toSeq: number, limit: number): Promise<LogUpdate[]> {
    this.journal.settle(padId);
    return this.s.readUpdates.all(padId, afterSeq, toSeq, limit).map((row) => ({
      seq: row.seq,
      time: row.time,
      author: row.author,
      data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength),
    }));
  }

  async saveIndex(padId: string, revisions: readonly Revision[], clients: ReadonlyMap<number, string>, indexedSeq: number): Promise<void> {
    this.db.transaction(() => {
      for (const r of revisions) {
        this.s.upsertRevision.run(
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
      for (const [client, author] of clients) this.s.insertClient.run(padId, client, author);
      this.s.setIndexed.run(padId, indexedSeq);
    })();
  }

  async setBuiltRev(padId: string, builtRev: number): Promise<void> {
    this.s.setBuilt.run(builtRev, padId);
  }

  async lastRevision(padId: string): Promise<Revision | null> {
    const row = this.s.lastRevision.get(padId);
    return row ? toRevision(row) : null;
  }

  async firstRevision(padId: string): Promise<Revision | null> {
    const row = this.s.firstRevision.get(padId);
    return row ? toRevision(row) : null;
  }

  async revision(padId: string, rev: number): Promise<Revision | null> {
    const row = this.s.revision.get(padId, rev);
    return row ? toRevision(row) : null;
  }

  async listRevisions(padId: string, afterRev: number, limit: number): Promise<Revision[]> {
    // Most revisions share one of a few author lists: parse each distinct one once.
    const parsed = new Map<string, string[]>();
    return this.s.listRevisions.all(padId, afterRev, limit).map((row) => {
      let authors = parsed.get(row.authors);
      if (!authors) parsed.set(row.authors, (authors = JSON.parse(row.authors) as string[]));
      return { ...toRevision({ ...row, authors: '[]' }), authors };
    });
  }

  async keyframeAtOrBefore(padId: string, seq: number): Promise<Keyframe | null> {
    const row = this.s.keyframeAtOrBefore.get(padId, seq);
    return row ? { seq: row.seq, rev: row.rev, data: new Uint8Array(row.data) } : null;
  }

  async saveKeyframe(padId: string, keyframe: Keyframe): Promise<void> {
    this.s.insertKeyframe.run(padId, keyframe.seq, keyframe.rev, keyframe.data);
  }

  async mergeLogRows(padId: string, firstSeq: number, lastSeq: number, merged: Uint8Array): Promise<void> {
    this.journal.settle(padId);
    this.db.transaction(() => {
      this.s.deleteLogRange.run(padId, firstSeq, lastSeq);
      this.s.setLogRow.run(merged, padId, lastSeq);
    })();
  }

  async squashBefore(padId: string, squashed: Revision, keyframe: Keyframe): Promise<void> {
    this.journal.settle(padId);
    this.db.transaction(() => {
      // Loading starts from the latest snapshot: it must not need the log rows deleted here.
      if ((this.s.latestSnapshotSeq.get(padId)?.seq ?? 0) < keyframe.seq) {
        this.s.insertSnapshot.run(padId, keyframe.seq, Date.now(), keyframe.data);
        this.s.deleteSnapshotsBefore.run(padId, keyframe.seq);
      }
      this.s.insertKeyframe.run(padId, keyframe.seq, keyframe.rev, keyframe.data);
      this.s.deleteKeyframesBefore.run(padId, keyframe.seq);
      this.s.raiseProgressFloor.run({ pad: padId, seq: keyframe.seq });
      this.s.deleteLogUpTo.run(padId, keyframe.seq);
      this.s.deleteRevisionsBefore.run(padId, squashed.rev);
      const r = squashed;
      this.s.upsertRevision.run(
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
      this.s.moveSavedRevisions.run(squashed.rev, padId, squashed.rev);
    })();
  }

  async clients(padId: string): Promise<Map<number, string>> {
    return new Map(this.s.clients.all(padId).map((row) => [row.client, row.author]));
  }

  async storedBytes(padId: string): Promise<{ log: number; keyframes: number; logRows: number; keyframeCount: number }> {
    this.journal.settle(padId);
    const log = this.s.logBytes.get(padId);
    const keyframes = this.s.keyframeBytes.get(padId);
    return { log: log?.bytes ?? 0, logRows: log?.rows ?? 0, keyframes: keyframes?.bytes ?? 0, keyframeCount: keyframes?.rows ?? 0 };
  }

  async saveRevision(padId: string, rev: number, label: string, author: string): Promise<SavedRevision> {
    const createdAt = Date.now();
    const result = this.s.insertSaved.run(padId, rev, label, author, createdAt);
    return { id: Number(result.lastInsertRowid), rev, label, author, createdAt };
  }

  async savedRevisions(padId: string): Promise<SavedRevision[]> {
    return this.s.saved
      .all(padId)
      .map((row) => ({ id: row.id, rev: row.rev, label: row.label, author: row.author, createdAt: row.created_at }));
  }

  async saveFork(padId: string, origin: ForkOrigin): Promise<void> {
    this.s.insertFork.run(padId, origin.padId, origin.rev, origin.createdAt);
  }

  async forkOrigin(padId: string): Promise<ForkOrigin | null> {
    const row = this.s.fork.get(padId);
    return row ? { padId: row.forked_from, rev: row.forked_rev, createdAt: row.created_at } : null;
  }
}
