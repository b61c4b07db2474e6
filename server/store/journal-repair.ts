/**
 * What the update journal holds when the store opens, made safe to move. Rows a process moved
 * to the log without deleting them yet (the journal deletes below its oldest waiting row) are
 * dropped: the log has them, byte for byte. A row whose (pad, seq) another row holds gets a
 * fresh seq after the pad's last one: earlier versions of the server could reuse a seq after a
 * failed move, and the move then ignored one of the two rows. Every row is kept (a Yjs update
 * applies the same in any order), and the count is reported so it can be logged.
 */
import type Database from 'better-sqlite3';

export interface JournalRepair {
  /** Rows the log already had. */
  alreadyMoved: number;
  /** Rows that got a fresh seq, by pad. */
  renumbered: Map<string, number>;
}

export function repairJournal(db: Database.Database): JournalRepair {
  return db.transaction(() => {
    const alreadyMoved = db
      .prepare(
        `DELETE FROM update_journal AS j WHERE EXISTS (
           SELECT 1 FROM update_log l WHERE l.pad_id = j.pad_id AND l.seq = j.seq AND l.data = j.data)`,
      )
      .run().changes;
    const clashing = db
      .prepare<[], { id: number; pad_id: string }>(
        `SELECT j.id, j.pad_id FROM update_journal j
          WHERE EXISTS (SELECT 1 FROM update_log l WHERE l.pad_id = j.pad_id AND l.seq = j.seq)
             OR EXISTS (SELECT 1 FROM update_journal k WHERE k.pad_id = j.pad_id AND k.seq = j.seq AND k.id < j.id)
          ORDER BY j.id`,
      )
      .all();
    const renumbered = new Map<string, number>();
    if (clashing.length === 0) return { alreadyMoved, renumbered };
    const lastSeq = db.prepare<[string, string, string], { seq: number }>(
      `SELECT max(
         coalesce((SELECT max(seq) FROM update_log WHERE pad_id = ?), 0),
         coalesce((SELECT max(seq) FROM update_journal WHERE pad_id = ?), 0),
         coalesce((SELECT last_seq FROM pads WHERE id = ?), 0)) AS seq`,
    );
    const setSeq = db.prepare<[number, number]>('UPDATE update_journal SET seq = ? WHERE id = ?');
    const next = new Map<string, number>();
    for (const row of clashing) {
      const seq = (next.get(row.pad_id) ?? lastSeq.get(row.pad_id, row.pad_id, row.pad_id)!.seq) + 1;
      setSeq.run(seq, row.id);
      next.set(row.pad_id, seq);
      renumbered.set(row.pad_id, (renumbered.get(row.pad_id) ?? 0) + 1);
    }
    return { alreadyMoved, renumbered };
  })();
}
