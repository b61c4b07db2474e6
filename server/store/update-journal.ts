/**
 * The log's landing table. A commit appends its updates to `update_journal`, a rowid table
 * with no per-pad index, so a commit writes a few sequential pages however many pads it
 * touches; inserting straight into the log (`update_log`, keyed by pad and seq) wrote one
 * scattered index leaf per busy pad (docs/architecture.md, The update journal). Every few
 * seconds a pad's journal rows move to the log together (one leaf write for many rows), on the
 * connection without an fsync of its own: the move is one transaction, and the next log
 * commit's fsync covers it.
 *
 * The store reads pads from `update_log`, so whatever reads a pad's log settles that pad first;
 * listings that need only a pad's progress overlay what is waiting here. Rows left by a process
 * that stopped before moving them move when the store opens. The `updates` view shows both
 * tables, for anyone reading the file with SQL.
 *
 * What this class remembers (which rows wait, each pad's last seq) is what the next commit's
 * seqs come from, so it changes only after a move has committed: a move that fails (a full
 * disk, at any statement or at COMMIT) leaves memory as it was, and the rows move later. A row
 * that meets one already in the log fails the move rather than being dropped.
 */
import type Database from 'better-sqlite3';
import { repairJournal, type JournalRepair } from './journal-repair.js';

/** A pad's rows move once its oldest waiting row is `moveAfterMs` old, or once this many wait. */
const MOVE_AT_ROWS = 256;
/** The loop gets a turn after each slice of moving, a few transactions of about this many rows. */
const SLICE_MS = 2;
const ROWS_PER_TRANSACTION = 128;

export interface JournalRow {
  padId: string;
  id: number;
  seq: number;
  time: number;
}

export interface JournalTiming {
  moveAfterMs: number;
  /** How often due pads are looked for. */
  tickMs: number;
}

const DEFAULT_TIMING: JournalTiming = { moveAfterMs: 5_000, tickMs: 1_000 };

export interface JournalOptions {
  timing?: JournalTiming;
  /** A move in the background failed (the rows wait and are tried again at the next tick). */
  onMoveFailed?: (err: Error) => void;
  /** What opening the journal found and repaired (see journal-repair.ts). */
  onRepaired?: (repair: JournalRepair) => void;
}

interface Waiting {
  ids: number[];
  since: number;
  lastSeq: number;
  lastTime: number;
}

export class UpdateJournal {
  /** Pads with rows in the journal, oldest first (a moved pad leaves; its next row re-enters at the end). */
  private readonly waiting = new Map<string, Waiting>();
  private readonly insert;
  private readonly moveTransaction;
  /** The journal id through which every row has moved and been deleted. */
  private movedThrough = 0;
  /** The highest id committed since the journal was last empty. */
  private lastId = 0;
  private timer: NodeJS.Timeout | null = null;
  private sliceQueued: NodeJS.Immediate | null = null;
  private readonly timing: JournalTiming;
  private readonly onMoveFailed: (err: Error) => void;

  constructor(logDb: Database.Database, moveDb: Database.Database, options: JournalOptions = {}) {
    this.timing = options.timing ?? DEFAULT_TIMING;
    this.onMoveFailed = options.onMoveFailed ?? (() => {});
    this.insert = logDb.prepare<[string, number, number, string, Uint8Array]>(
      'INSERT INTO update_journal (pad_id, seq, time, author, data) VALUES (?, ?, ?, ?, ?)',
    );
    // A pad's ids as one JSON array: 15-20% less per row than a statement per row. No OR IGNORE:
    // a (pad, seq) the log has already means a seq was given twice, and neither row may go.
    const moveRows = moveDb.prepare<[string]>(
      `INSERT INTO update_log (pad_id, seq, time, author, data)
         SELECT j.pad_id, j.seq, j.time, j.author, j.data FROM json_each(?) AS w JOIN update_journal j ON j.id = w.value`,
    );
    const deleteThrough = moveDb.prepare<[number]>('DELETE FROM update_journal WHERE id <= ?');
    this.moveTransaction = moveDb.transaction((idLists: readonly string[], trimThrough: number) => {
      for (const ids of idLists) moveRows.run(ids);
      if (trimThrough > 0) deleteThrough.run(trimThrough);
    });
    this.open(moveDb, options.onRepaired);
  }

  /** Called inside the log commit's transaction; `committed` takes the ids once it is done. */
  append(padId: string, seq: number, time: number, author: string, data: Uint8Array): number {
    return Number(this.insert.run(padId, seq, time, author, data).lastInsertRowid);
  }

  /** Notes rows of a commit that succeeded (a failed one's rows are gone with its transaction). */
  committed(rows: readonly JournalRow[]): void {
    const now = performance.now();
    for (const row of rows) {
      this.lastId = Math.max(this.lastId, row.id);
      const entry = this.waiting.get(row.padId);
      if (entry) {
        entry.ids.push(row.id);
        entry.lastSeq = Math.max(entry.lastSeq, row.seq);
        entry.lastTime = row.time;
        // A very busy pad moves in small steps rather than thousands of rows at the next tick.
        if (entry.ids.length >= MOVE_AT_ROWS && this.timer) this.sliceQueued ??= setImmediate(() => this.moveDue());
      } else {
        this.waiting.set(row.padId, { ids: [row.id], since: now, lastSeq: row.seq, lastTime: row.time });
      }
    }
  }

  /** Rows committed to the journal and not yet moved (for /metrics: counted when scraped). */
  get waitingRows(): number {
    let rows = 0;
    for (const entry of this.waiting.values()) rows += entry.ids.length;
    return rows;
  }

  /** The pad's newest seq and edit time among rows not yet in the log. */
  progress(padId: string): { lastSeq: number; lastTime: number } | undefined {
    return this.waiting.get(padId);
  }

  /**
   * Moves the pad's waiting rows to the log now: call before reading its log, outside any
   * transaction. Throws what SQLite threw if the move failed (the rows still wait).
   */
  settle(padId: string): void {
    if (this.waiting.has(padId)) this.movePads([padId]);
  }

  settleAll(): void {
    if (this.waiting.size > 0) this.movePads([...this.waiting.keys()]);
  }

  start(): void {
    this.timer ??= setInterval(() => this.sliceQueued ?? this.moveDue(), this.timing.tickMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.sliceQueued) clearImmediate(this.sliceQueued);
    this.timer = null;
    this.sliceQueued = null;
  }

  /** Moves due pads a slice at a time, oldest first, with a turn of the loop between slices. */
  private moveDue(): void {
    this.sliceQueued = null;
    const now = performance.now();
    const due: string[] = [];
    for (const [padId, entry] of this.waiting) {
      if (now - entry.since >= this.timing.moveAfterMs || entry.ids.length >= MOVE_AT_ROWS) due.push(padId);
    }
    if (due.length === 0) return;
    const started = performance.now();
    let next = 0;
    while (next < due.length && performance.now() - started < SLICE_MS) {
      // A transaction per pad would cost more than the few rows most pads have waiting.
      const batch: string[] = [];
      for (let rows = 0; next < due.length && rows < ROWS_PER_TRANSACTION; next += 1) {
        batch.push(due[next]);
        rows += this.waiting.get(due[next])?.ids.length ?? 0;
      }
      try {
        this.movePads(batch);
      } catch (err) {
        // The rows wait; the next tick tries again.
        this.onMoveFailed(err instanceof Error ? err : new Error(String(err)));
        return;
      }
    }
    if (next < due.length) this.sliceQueued = setImmediate(() => this.moveDue());
  }

  /**
   * Moves the pads' waiting rows to the log, and deletes the journal rows below the oldest one
   * still waiting, in one transaction; what is remembered changes only once it has committed.
   */
  private movePads(pads: readonly string[]): void {
    const moving = pads.filter((padId) => this.waiting.has(padId));
    if (moving.length === 0) return;
    const trimThrough = this.trimPoint(new Set(moving));
    this.moveTransaction(
      moving.map((padId) => JSON.stringify(this.waiting.get(padId)!.ids)),
      trimThrough,
    );
    for (const padId of moving) this.waiting.delete(padId);
    if (this.waiting.size === 0) {
      // Every row has moved and the table is empty: SQLite numbers its next rows from 1 again.
      this.lastId = 0;
      this.movedThrough = 0;
    } else if (trimThrough > this.movedThrough) {
      this.movedThrough = trimThrough;
    }
  }

  /** The id through which journal rows can go once `moving` have moved (0: none can yet). */
  private trimPoint(moving: ReadonlySet<string>): number {
    // Pads wait in the order of their first row's id.
    for (const [padId, entry] of this.waiting) {
      if (moving.has(padId)) continue;
      const through = entry.ids[0] - 1;
      return through > this.movedThrough ? through : 0;
    }
    return this.lastId;
  }

  /**
   * Rows left by a process that stopped before moving them (a pad deleted since has none:
   * cascade) wait like rows just committed, and move now if they can; if they cannot (a full
   * disk), the store still opens and they move once there is room.
   */
  private open(moveDb: Database.Database, onRepaired: JournalOptions['onRepaired']): void {
    const repair = repairJournal(moveDb);
    if (repair.alreadyMoved > 0 || repair.renumbered.size > 0) onRepaired?.(repair);
    const rows = moveDb
      .prepare<[], { id: number; pad_id: string; seq: number; time: number }>(
        'SELECT id, pad_id, seq, time FROM update_journal ORDER BY id',
      )
      .all();
    if (rows.length === 0) return;
    this.movedThrough = rows[0].id - 1;
    this.committed(rows.map((row) => ({ padId: row.pad_id, id: row.id, seq: row.seq, time: row.time })));
    try {
      this.settleAll();
    } catch (err) {
      this.onMoveFailed(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
