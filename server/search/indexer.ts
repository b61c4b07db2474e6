/**
 * Keeps the search index current: after a pad's commits it re-reads the live doc's text and
 * re-indexes the pad once the pad has been quiet for `delayMs`, and at least every `maxDelayMs`
 * while people keep typing (a search finds what was typed before a pause at once, and text
 * typed without pause within ten seconds). Pads are re-indexed one at a time, standing aside
 * while live traffic keeps the loop busy (`AfterCommitWork`). At start-up it catches up with
 * pads edited while it was not running (`backfill`).
 */
import type * as Y from 'yjs';
import { AfterCommitWork } from '../background/after-commit-work.js';
import type { LoadSignal } from '../background/busy-gate.js';
import type { Logger } from '../sync/types.js';
import { docPlainText } from './doc-text.js';
import type { SearchIndex } from './search-index.js';

/** What the indexer needs from the rooms: a loaded doc, or a way to load one for a moment. */
export interface DocSource {
  peek(padId: string): { currentDoc(): Y.Doc; isClosed: boolean } | undefined;
  use<T>(padId: string, fn: (room: { currentDoc(): Y.Doc }) => T | Promise<T>): Promise<T>;
}

export interface SearchIndexerOptions {
  index: SearchIndex;
  docs: DocSource;
  logger: Logger;
  /** Quiet time after a pad's last commit before re-indexing it, ms (default 1000)... */
  delayMs?: number;
  /** ...but no later than this after its first unindexed commit (default 10 s). */
  maxDelayMs?: number;
  /** While it says busy, a due re-index waits (up to `maxDeferMs`, default 30 s). */
  load?: LoadSignal;
  maxDeferMs?: number;
}

export class SearchIndexer {
  private readonly running = new Set<Promise<void>>();
  private readonly pending: AfterCommitWork;
  private closed = false;

  constructor(private readonly options: SearchIndexerOptions) {
    this.pending = new AfterCommitWork((padId) => this.reindex(padId), options.logger, 'search indexing', {
      delayMs: options.delayMs,
      maxDelayMs: options.maxDelayMs ?? 10_000,
      load: options.load,
      maxDeferMs: options.maxDeferMs ?? 30_000,
    });
  }

  /** Call after `padId` committed changes. */
  schedule(padId: string): void {
    if (!this.closed) this.pending.committed(padId);
  }

  /** Forgets a pending re-index (the pad was deleted). */
  cancel(padId: string): void {
    this.pending.cancel(padId);
  }

  /** Re-indexes every pad with a pending change now; resolves when all are written. */
  async flush(): Promise<void> {
    await this.pending.flush();
    await Promise.all(this.running);
  }

  /** Indexes up to `limit` pads changed since they were last indexed, one at a time; never rejects. */
  backfill(limit = 10_000): Promise<number> {
    const work = this.backfillNow(limit).catch((err: unknown) => {
      this.options.logger.warn({ err }, 'search backfill failed');
      return 0;
    });
    this.track(work.then(() => undefined));
    return work;
  }

  private async backfillNow(limit: number): Promise<number> {
    const stale = await this.options.index.stalePads(limit);
    let done = 0;
    for (const padId of stale) {
      if (this.closed) break;
      await this.reindex(padId);
      done++;
    }
    return done;
  }

  /** Flushes pending work and stops scheduling (before the rooms unload at shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  private async reindex(padId: string): Promise<void> {
    try {
      const room = this.options.docs.peek(padId);
      const text =
        room && !room.isClosed ? docPlainText(room.currentDoc()) : await this.options.docs.use(padId, (r) => docPlainText(r.currentDoc()));
      await this.options.index.index(padId, text);
    } catch (err) {
      this.options.logger.warn({ padId, err }, 'search indexing failed');
    }
  }
}
