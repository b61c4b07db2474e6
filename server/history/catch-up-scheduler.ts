/**
 * Keeps history indexes warm: after a pad's commits, its index catches up once the pad has
 * been quiet for `delayMs` (or at the latest `maxDelayMs` after the first pending commit), off
 * the commit path. Requests catch up on their own as well, so this is only about latency.
 *
 * Due pads wait in one queue and catch up one at a time: with a thousand busy pads their
 * timers fire together, and running them all at once kept the event loop busy for seconds
 * while live edits waited (bench/perf.ts many-pads).
 */
import type { Logger } from '../sync/types.js';
import type { HistoryIndexer } from './history-indexer.js';

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class CatchUpScheduler {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; since: number }>();
  private readonly due = new Set<string>();
  private running = false;
  private stopped = false;

  constructor(
    private readonly indexer: HistoryIndexer,
    private readonly logger: Logger,
    private readonly delayMs = 1000,
    private readonly maxDelayMs = 10_000,
  ) {}

  /** Called after each commit of `padId`; cheap. */
  committed(padId: string): void {
    if (this.stopped) return;
    const pending = this.timers.get(padId);
    const now = Date.now();
    if (pending) {
      if (now - pending.since >= this.maxDelayMs) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => this.markDue(padId), this.delayMs);
    timer.unref();
    this.timers.set(padId, { timer, since: pending?.since ?? now });
  }

  private markDue(padId: string): void {
    this.timers.delete(padId);
    this.due.add(padId);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const padId of this.due) {
        if (this.stopped) break;
        this.due.delete(padId);
        await this.indexer.catchUp(padId).catch((err: unknown) => this.logger.warn({ padId, err }, 'history catch-up failed'));
        await yieldToLoop();
      }
    } finally {
      this.running = false;
    }
  }

  /** Stops pending runs (shutdown). */
  stop(): void {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.due.clear();
  }
}
