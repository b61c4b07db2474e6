/**
 * The log's landing table. A commit appends its updates to `update_journal`, a rowid table
 * with no per-pad index, so a commit writes a few sequential pages however many pads it
 * touches; inserting straight into the log (`update_log`, keyed by pad and seq) wrote one
 * scattered index leaf per busy pad, ~80 WAL pages per commit at 2,000 busy pads. Every few
 * seconds a pad's journal rows move to the log together (one leaf write for many rows), on the
 * connection without an fsync of its own: the move is one transaction, and the next log
 * commit's fsync covers it.
 *
 * The store reads pads from `update_log`, so whatever reads a pad's log settles that pad first;
 * listings that need only a pad's progress overlay what is waiting here. Rows left by a process
 * that stopped before moving them move when the store opens. The `updates` view shows both
 * tables, for anyone reading the file with SQL.
 */
import type Database from 'better-sqlite3';

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
  private readonly moveRows;
  private readonly deleteThrough;
  private readonly moveSlice;
  /** The journal id through which every row has moved and been deleted. */
  private movedThrough = 0;
  /** The highest id committed since the journal was last empty. */
  private lastId = 0;
  private timer: NodeJS.Timeout | null = null;
  private sliceQueued: NodeJS.Immediate | null = null;

  constructor(
    logDb: Database.Database,
    moveDb: Database.Database,
    private readonly timing: JournalTiming = DEFAULT_TIMING,
  ) {
    this.insert = logDb.prepare<[string, number, number, string, Uint8Array]>(
      'INSERT INTO update_journal (pad_id, seq, time, author, data) VALUES (?, ?, ?, ?, ?)',
    );
    // A pad's ids as one JSON array: 15-20% less per row than a statement per row.
    this.moveRows = moveDb.prepare<[string]>(
      `INSERT OR IGNORE INTO update_log (pad_id, seq, time, author, data)
         SELECT j.pad_id, j.seq, j.time, j.author, j.data FROM json_each(?) AS w JOIN update_journal j ON j.id = w.value`,
    );
    this.deleteThrough = moveDb.prepare<[number]>('DELETE FROM update_journal WHERE id <= ?');
    this.moveSlice = moveDb.transaction((pads: readonly string[]) => {
      for (const padId of pads) this.movePad(padId);
      this.trim();
    });
    this.recover(moveDb);
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

  /** Moves the pad's waiting rows to the log now: call before reading its log, outside any transaction. */
  settle(padId: string): void {
    if (this.waiting.has(padId)) this.moveSlice([padId]);
  }

  settleAll(): void {
    if (this.waiting.size > 0) this.moveSlice([...this.waiting.keys()]);
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
      this.moveSlice(batch);
    }
    if (next < due.length) this.sliceQueued = setImmediate(() => this.moveDue());
  }

  private movePad(padId: string): void {
    const entry = this.waiting.get(padId);
    if (!entry) return;
    this.moveRows.run(JSON.stringify(entry.ids));
    this.waiting.delete(padId);
  }

  /** Deletes the journal rows below the oldest one still waiting. */
  private trim(): void {
    const oldest = this.waiting.values().next();
    if (oldest.done) {
      // Every row has moved. An emptied table numbers its next rows from 1 again.
      if (this.lastId > 0) this.deleteThrough.run(this.lastId);
      this.lastId = 0;
      this.movedThrough = 0;
      return;
    }
    const through = oldest.value.ids[0] - 1;
    if (through > this.movedThrough) {
      this.deleteThrough.run(through);
      this.movedThrough = through;
    }
  }

  /** Rows left by a process that stopped before moving them (a pad deleted since has none: cascade). */
  private recover(moveDb: Database.Database): void {
    moveDb.transaction(() => {
      moveDb.exec(
        `INSERT OR IGNORE INTO update_log (pad_id, seq, time, author, data)
           SELECT pad_id, seq, time, author, data FROM update_journal ORDER BY pad_id, seq`,
      );
      moveDb.exec('DELETE FROM update_journal');
    })();
  }
}
