/**
 * Keeps history indexes warm: after a pad's commits, its index catches up once the pad has
 * been quiet for `delayMs` (or at the latest `maxDelayMs` after the first pending commit), off
 * the commit path. Requests catch up on their own as well, so this is only about latency.
 */
import type { Logger } from '../sync/types.js';
import type { HistoryIndexer } from './history-indexer.js';

export class CatchUpScheduler {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; since: number }>();

  constructor(
    private readonly indexer: HistoryIndexer,
    private readonly logger: Logger,
    private readonly delayMs = 1000,
    private readonly maxDelayMs = 10_000,
  ) {}

  /** Called after each commit of `padId`; cheap. */
  committed(padId: string): void {
    const pending = this.timers.get(padId);
    const now = Date.now();
    if (pending) {
      if (now - pending.since >= this.maxDelayMs) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => this.run(padId), this.delayMs);
    timer.unref();
    this.timers.set(padId, { timer, since: pending?.since ?? now });
  }

  private run(padId: string): void {
    this.timers.delete(padId);
    this.indexer.catchUp(padId).catch((err: unknown) => this.logger.warn({ padId, err }, 'history catch-up failed'));
  }

  /** Stops pending runs (shutdown). */
  stop(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
