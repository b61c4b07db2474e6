/**
 * Keeps history indexes warm: after a pad's commits, its index catches up once the pad has
 * been quiet for `delayMs` (or at the latest `maxDelayMs` after the first pending commit), off
 * the commit path. Requests catch up on their own as well, so this is only about latency.
 *
 * Due pads wait in one queue and catch up one at a time: with a thousand busy pads their
 * timers fire together, and running them all at once kept the event loop busy for seconds
 * while live edits waited (bench/perf.ts many-pads).
 */
import { NEVER_BUSY, shouldDefer, type LoadSignal } from '../background/busy-gate.js';
import type { Logger } from '../sync/types.js';
import type { HistoryIndexer } from './history-indexer.js';

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

export interface CatchUpOptions {
  /** Quiet time after a commit before catching up, ms (default 1000)... */
  delayMs?: number;
  /** ...but no later than this after the first pending commit (default 10 s). */
  maxDelayMs?: number;
  /** While it says busy, due catch-ups wait, each at most `maxDeferMs` (default 60 s). */
  load?: LoadSignal;
  maxDeferMs?: number;
}

export class CatchUpScheduler {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; since: number }>();
  /** Pads whose catch-up is due, with when it became due. */
  private readonly due = new Map<string, number>();
  private running = false;
  private stopped = false;

  private readonly delayMs: number;
  private readonly maxDelayMs: number;
  private readonly load: LoadSignal;
  private readonly maxDeferMs: number;

  constructor(
    private readonly indexer: HistoryIndexer,
    private readonly logger: Logger,
    options: CatchUpOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.load = options.load ?? NEVER_BUSY;
    this.maxDeferMs = options.maxDeferMs ?? 60_000;
  }

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
    if (!this.due.has(padId)) this.due.set(padId, Date.now());
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const [padId, dueSince] of this.due) {
        while (!this.stopped && shouldDefer(this.load, dueSince, this.maxDeferMs)) await pause(250);
        if (this.stopped) break;
        this.due.delete(padId);
        await this.indexer.catchUp(padId, { background: true }).catch((err: unknown) => this.logger.warn({ padId, err }, 'history catch-up failed'));
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
