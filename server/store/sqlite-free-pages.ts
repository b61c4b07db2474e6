/**
 * Disk use that follows the data. SQLite keeps the pages it frees (journal rows moved, old
 * snapshots replaced, history squashed, pads deleted) in the file for reuse: after seeding a
 * large pad, most of the file was free pages (docs/operations.md). With
 * `auto_vacuum = INCREMENTAL` those pages can be handed back: when free pages pass a quarter of
 * the file (and 1 MiB), they are released a slice at a time, with a turn of the loop between
 * slices, and a checkpoint lets the file shrink. The journal frees and reuses pages every few seconds; the quarter keeps that
 * churn from being released and grown back over and over.
 */
import type Database from 'better-sqlite3';

/** How often the free pages are counted (two header reads). */
const CHECK_EVERY_MS = 2_000;
/** Pages released per slice (4 MiB at 4 KiB pages): a few ms of moving pages. */
const PAGES_PER_SLICE = 1024;
const MIN_FREE_BYTES = 1024 * 1024;
const MIN_FREE_SHARE = 0.25;
/** A WAL that grew past this (a checkpoint held back by readers) is cut back to it, bytes. */
export const WAL_SIZE_LIMIT = 16 * 1024 * 1024;

/**
 * Turns on incremental vacuum: set before the first table of a new file; an existing file
 * made before it needs one VACUUM (a rewrite of the whole file, once). Returns false if that
 * rewrite failed (say, for lack of space): the file then keeps its free pages until a later start.
 */
export function enableIncrementalVacuum(db: Database.Database): boolean {
  const INCREMENTAL = 2;
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) return true;
  db.pragma('auto_vacuum = INCREMENTAL');
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
  if (tables.n === 0) return true;
  try {
    db.exec('VACUUM');
    return true;
  } catch {
    return false;
  }
}

export class FreePageReclaimer {
  private timer: NodeJS.Timeout | null = null;
  private slice: NodeJS.Immediate | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly onFailed: (err: Error) => void = () => {},
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.slice ?? this.reclaim(), CHECK_EVERY_MS).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.slice) clearImmediate(this.slice);
    this.timer = null;
    this.slice = null;
  }

  /** Free pages and all pages of the file. */
  pages(): { free: number; total: number; pageSize: number } {
    return {
      free: this.db.pragma('freelist_count', { simple: true }) as number,
      total: this.db.pragma('page_count', { simple: true }) as number,
      pageSize: this.db.pragma('page_size', { simple: true }) as number,
    };
  }

  /**
   * Releases free pages a slice at a time once there are enough of them, all of them, going on
   * at the next turn of the loop; then checkpoints, which shrinks the file.
   */
  private reclaim(started = false): void {
    this.slice = null;
    try {
      const { free, total, pageSize } = this.pages();
      if (!started && (free * pageSize < MIN_FREE_BYTES || free < total * MIN_FREE_SHARE)) return;
      if (free > 0) this.db.pragma(`incremental_vacuum(${PAGES_PER_SLICE})`);
      if (free > PAGES_PER_SLICE) {
        this.slice = setImmediate(() => this.reclaim(true));
        return;
      }
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      // A full disk (moving pages writes them): the pages stay free and are tried again later.
      this.onFailed(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
