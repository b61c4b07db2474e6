/**
 * Keeps a pad's history index up to date with its update log, incrementally:
 *
 * 1. Grouping: each new update joins the pad's last revision when it has the same single
 *    author and its time is less than `windowMs` after that revision's first update, unless
 *    that revision has been saved with a label; otherwise it starts a new revision. Each client id is attributed to the author of the first update
 *    that carries its structs.
 * 2. Building, for each closed revision (every one but the last): its log rows are replaced by
 *    one update with the revision's change (the live tail stays as committed), and at every
 *    `keyframeEvery`-th revision a keyframe (full state) is stored if the log since the previous
 *    keyframe is at least `keyframeMinTailRatio` (0.5) times the state's size. That bound keeps
 *    the keyframes' total at most ~2x the log's, and any rebuild under ~1.5 states' worth of bytes.
 *
 * Work on one pad is serialised (`exclusive`); it gives the event loop a turn every 10 ms.
 * A large pad's built document is kept between runs (a few, for a minute): rebuilding it from
 * its keyframe is one synchronous apply of the whole pad, which stalls the loop on a large pad,
 * and a busy pad's history catches up every few seconds.
 */
import * as Y from 'yjs';
import { LOCAL_LEASE, type WorkLease } from '../sync/types.js';
import { applyAccepted } from '../sync/update-guard.js';
import type { HistoryStore, LogUpdate, Revision } from './types.js';
import { updateStats } from './update-stats.js';

export interface HistoryIndexerOptions {
  /** Revision window, ms (REVISION_WINDOW_MS, default 2000). */
  windowMs: number;
  /** Keyframe cadence in revisions (default 100). */
  keyframeEvery?: number;
  /** Store a due keyframe only if the log since the last one is this many times its size (default 0.5; 0 = always). */
  keyframeMinTailRatio?: number;
  /** With several server processes, one at a time indexes and compacts a pad (default: this process only). */
  lease?: WorkLease;
  /** Keep a pad's built document for its next run if loading it took at least this long, ms (default 20). */
  keepBuiltLoadMs?: number;
}

/** Rows read per batch while indexing. */
const INDEX_BATCH = 1000;
/** Revisions built per batch. */
const BUILD_BATCH = 500;
/** Longest stretch of work before the event loop gets a turn. */
const SLICE_MS = 10;
/** Pause after each slice of a background catch-up. */
const BACKGROUND_PAUSE_MS = 30;
const ALL = Number.MAX_SAFE_INTEGER;
/** A built document whose loading took the loop at least `keepBuiltLoadMs` is kept for the next run... */
const KEEP_BUILT_LOAD_MS = 20;
/** ...for this many pads at most (the latest used)... */
const KEEP_BUILT_PADS = 4;
/** ...and this long after its run. */
const KEEP_BUILT_MS = 60_000;

/** A pad's history document as built through `revision`, kept for its next build. */
interface BuiltDoc {
  doc: Y.Doc;
  revision: Revision;
  /** Log bytes applied since the last keyframe, and the state's size at its last encoding. */
  sinceKeyframe: number;
  stateBytes: number;
  /** How long loading it from its keyframe took. */
  loadMs: number;
  timer: NodeJS.Timeout;
}

/** The same stored revision: a pad deleted and typed again, or history compacted, differs. */
function sameRevision(a: Revision, b: Revision): boolean {
  return a.rev === b.rev && a.firstSeq === b.firstSeq && a.lastSeq === b.lastSeq && a.startTime === b.startTime && a.endTime === b.endTime;
}

/** Live pads share this event loop: indexing gives it back every few milliseconds. */
class Slices {
  private started = performance.now();
  constructor(private readonly pauseMs: number) {}

  /** Yields (for `pauseMs`, or one turn) once the current slice has run long enough. */
  async turn(): Promise<void> {
    if (performance.now() - this.started < SLICE_MS) return;
    await new Promise((resolve) => (this.pauseMs > 0 ? setTimeout(resolve, this.pauseMs) : setImmediate(resolve)));
    this.started = performance.now();
  }
}

export class HistoryIndexer {
  readonly windowMs: number;
  readonly keyframeEvery: number;
  readonly keyframeMinTailRatio: number;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly lease: WorkLease;
  private readonly keepBuiltLoadMs: number;
  /** Built documents kept between runs, least recently used first. */
  private readonly built = new Map<string, BuiltDoc>();

  constructor(
    private readonly store: HistoryStore,
    options: HistoryIndexerOptions,
  ) {
    this.windowMs = options.windowMs;
    this.keyframeEvery = options.keyframeEvery ?? 100;
    this.keyframeMinTailRatio = options.keyframeMinTailRatio ?? 0.5;
    this.lease = options.lease ?? LOCAL_LEASE;
    this.keepBuiltLoadMs = options.keepBuiltLoadMs ?? KEEP_BUILT_LOAD_MS;
    if (this.keyframeEvery < 1) throw new RangeError('keyframeEvery must be at least 1');
  }

  /** Runs `fn` after every earlier task for `padId` has finished. */
  exclusive<T>(padId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(padId) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(fn);
    const tail = run.catch(() => undefined);
    this.locks.set(padId, tail);
    void tail.then(() => {
      if (this.locks.get(padId) === tail) this.locks.delete(padId);
    });
    return run;
  }

  /** Resolves once every task started so far has finished (shutdown), and frees kept documents. */
  async settle(): Promise<void> {
    await Promise.all(Array.from(this.locks.values()));
    for (const padId of Array.from(this.built.keys())) this.takeBuilt(padId)?.doc.destroy();
  }

  /**
   * Brings the index and keyframes up to the end of the log. In the `background` (scheduled
   * catch-ups) each 10 ms of work is followed by a 30 ms pause, so however large the pad, its
   * indexing takes at most a quarter of the loop that serves its people.
   */
  catchUp(padId: string, { background = false } = {}): Promise<void> {
    const slices = new Slices(background ? BACKGROUND_PAUSE_MS : 0);
    return this.exclusive(padId, () =>
      this.lease.run(`history:${padId}`, async () => {
        await this.index(padId, slices);
        await this.build(padId, slices);
      }),
    );
  }

  private async index(padId: string, slices: Slices): Promise<void> {
    let { indexedSeq, builtRev } = await this.store.cursor(padId);
    let last = await this.store.lastRevision(padId);
    // A saved (labelled) revision stays as it was when saved: what follows starts a new one.
    // Saving runs in `exclusive` too, so only the revision open at the start can be saved.
    let savedRev: number | null | undefined;
    for (;;) {
      const rows = await this.store.readUpdates(padId, indexedSeq, ALL, INDEX_BATCH);
      if (rows.length === 0) return;
      if (savedRev === undefined) {
        const openRev = last?.rev ?? null;
        savedRev = openRev !== null && (await this.store.savedRevisions(padId)).some((saved) => saved.rev === openRev) ? openRev : null;
      }
      const changed = new Map<number, Revision>();
      const clients = new Map<number, string>();
      for (const row of rows) {
        const stats = updateStats(row.data);
        for (const client of stats.clients) if (!clients.has(client)) clients.set(client, row.author);
        // API writes (author `api`) are revisions of their own, as each Etherpad API call is.
        const joins =
          row.author !== 'api' &&
          last !== null &&
          last.rev > builtRev &&
          last.rev !== savedRev &&
          last.authors.length === 1 &&
          last.authors[0] === row.author &&
          row.time - last.startTime < this.windowMs;
        if (joins && last) {
          last.lastSeq = row.seq;
          last.endTime = Math.max(last.endTime, row.time);
          last.updates += 1;
          last.bytes += row.data.byteLength;
          last.inserted += stats.inserted;
          last.deleted += stats.deleted;
        } else {
          last = {
            rev: (last?.rev ?? 0) + 1,
            firstSeq: row.seq,
            lastSeq: row.seq,
            startTime: row.time,
            endTime: row.time,
            authors: [row.author],
            updates: 1,
            bytes: row.data.byteLength,
            inserted: stats.inserted,
            deleted: stats.deleted,
          };
        }
        changed.set(last.rev, last);
        indexedSeq = row.seq;
      }
      await this.store.saveIndex(padId, Array.from(changed.values()), clients, indexedSeq);
      builtRev = (await this.store.cursor(padId)).builtRev;
      if (rows.length < INDEX_BATCH) return;
      await slices.turn();
    }
  }

  private async build(padId: string, slices: Slices): Promise<void> {
    const last = await this.store.lastRevision(padId);
    if (!last) return;
    const target = last.rev - 1;
    let { builtRev } = await this.store.cursor(padId);
    if (builtRev >= target) return;
    let lastBuilt = builtRev > 0 ? await this.store.revision(padId, builtRev) : null;
    let kept = this.takeBuilt(padId);
    if (kept && !(lastBuilt && sameRevision(kept.revision, lastBuilt))) {
      kept.doc.destroy();
      kept = null;
    }
    const doc = kept?.doc ?? new Y.Doc();
    let sinceKeyframe = kept?.sinceKeyframe ?? 0;
    // The doc's size at its last encoding: a keyframe is only worth encoding (tens of ms for a
    // large pad with many authors) once the log since the last one could pass the ratio.
    let stateBytes = kept?.stateBytes ?? 0;
    let loadMs = kept?.loadMs ?? 0;
    let finished = false;
    try {
      if (!kept && lastBuilt) {
        const started = performance.now();
        sinceKeyframe = await this.loadInto(doc, padId, lastBuilt.lastSeq);
        loadMs = performance.now() - started;
      }
      while (builtRev < target) {
        const revisions = await this.store.listRevisions(padId, builtRev, Math.min(BUILD_BATCH, target - builtRev));
        if (revisions.length === 0) break;
        // One read for the whole batch: with several authors taking turns most revisions are one row.
        const batchRows = await this.store.readUpdates(padId, revisions[0].firstSeq - 1, revisions[revisions.length - 1].lastSeq, ALL);
        let next = 0;
        for (const revision of revisions) {
          while (next < batchRows.length && batchRows[next].seq < revision.firstSeq) next += 1;
          const start = next;
          while (next < batchRows.length && batchRows[next].seq <= revision.lastSeq) next += 1;
          const rows = batchRows.slice(start, next);
          // One transaction for the revision: its 'update' event carries the revision's change with
          // adjacent items merged (much smaller than Y.mergeUpdates of the rows).
          let merged: Uint8Array | null = null;
          const capture = (update: Uint8Array): void => {
            merged = update;
          };
          doc.on('update', capture);
          Y.transact(doc, () => {
            for (const row of rows) applyAccepted(doc, row.data);
          });
          doc.off('update', capture);
          const change = (merged ?? rows[0]?.data ?? new Uint8Array()) as Uint8Array;
          if (rows.length > 1 && merged) await this.store.mergeLogRows(padId, revision.firstSeq, revision.lastSeq, change);
          sinceKeyframe += change.byteLength;
          if (revision.rev % this.keyframeEvery === 0 && sinceKeyframe >= this.keyframeMinTailRatio * stateBytes) {
            const state = Y.encodeStateAsUpdate(doc);
            stateBytes = state.byteLength;
            if (sinceKeyframe >= this.keyframeMinTailRatio * state.byteLength) {
              await this.store.saveKeyframe(padId, { seq: revision.lastSeq, rev: revision.rev, data: state });
              sinceKeyframe = 0;
            }
          }
          builtRev = revision.rev;
          lastBuilt = revision;
          await slices.turn();
        }
        await this.store.setBuiltRev(padId, builtRev);
      }
      finished = true;
    } finally {
      // Kept only as built through a stored revision; after a failure it may be ahead of the cursor.
      if (finished && lastBuilt && loadMs >= this.keepBuiltLoadMs)
        this.keepBuilt(padId, { doc, revision: lastBuilt, sinceKeyframe, stateBytes, loadMs });
      else doc.destroy();
    }
  }

  private keepBuilt(padId: string, built: Omit<BuiltDoc, 'timer'>): void {
    const timer = setTimeout(() => this.takeBuilt(padId)?.doc.destroy(), KEEP_BUILT_MS);
    timer.unref();
    this.built.set(padId, { ...built, timer });
    for (const oldest of this.built.keys()) {
      if (this.built.size <= KEEP_BUILT_PADS) break;
      this.takeBuilt(oldest)?.doc.destroy();
    }
  }

  private takeBuilt(padId: string): BuiltDoc | null {
    const built = this.built.get(padId);
    if (!built) return null;
    clearTimeout(built.timer);
    this.built.delete(padId);
    return built;
  }

  /**
   * Applies the nearest keyframe and the log after it up to `seq`; returns the log bytes applied.
   * If `doc` already holds the pad up to `loadedSeq` and no keyframe lies between, only the
   * rows after `loadedSeq` are applied.
   */
  async loadInto(doc: Y.Doc, padId: string, seq: number, loadedSeq = -1): Promise<number> {
    const { keyframe, rows } = await this.readSource(padId, seq, loadedSeq);
    let bytes = 0;
    // Row by row in one transaction: merging a long tail first (Y.mergeUpdates) costs far more
    // than applying its rows (bench/history.ts, docs/benchmarks.md).
    Y.transact(doc, () => {
      if (keyframe) Y.applyUpdate(doc, keyframe);
      for (const row of rows) {
        bytes += row.data.byteLength;
        applyAccepted(doc, row.data);
      }
    });
    return bytes;
  }

  /**
   * What `loadInto` applies, read but not applied (to hand to a worker): the nearest keyframe at
   * or before `seq` (null when a doc at `loadedSeq` needs none) and the log rows after it.
   */
  async readSource(padId: string, seq: number, loadedSeq = -1): Promise<{ keyframe: Uint8Array | null; rows: LogUpdate[] }> {
    const keyframe = await this.store.keyframeAtOrBefore(padId, seq);
    const after = keyframe?.seq ?? 0;
    if (loadedSeq >= after && loadedSeq <= seq) return { keyframe: null, rows: await this.store.readUpdates(padId, loadedSeq, seq, ALL) };
    return { keyframe: keyframe?.data ?? null, rows: await this.store.readUpdates(padId, after, seq, ALL) };
  }
}
