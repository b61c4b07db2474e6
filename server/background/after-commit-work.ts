/**
 * Background work that follows a pad's commits (history catch-up, search re-index). A pad's
 * work is due once the pad has been quiet for `delayMs`, or `maxDelayMs` after its first
 * pending commit if people keep typing. Due pads wait in one queue and run one at a time,
 * yielding to the event loop between pads and standing aside while the loop is busy with live
 * traffic (`load`, at most `maxDeferMs` per pad).
 *
 * Pads that start together come due together: with many busy pads their timers fire in the
 * same turn, and running all their work at once kept the loop busy while live edits waited
 * (bench/perf.ts many-pads).
 */
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../sync/types.js';
import { NEVER_BUSY, shouldDefer, type LoadSignal } from './busy-gate.js';
import { QuietTimers } from './quiet-timers.js';

export interface AfterCommitOptions {
  /** Quiet time after a commit before the work is due, ms (default 1000)... */
  delayMs?: number;
  /** ...but no later than this after the first pending commit (default 10 s). */
  maxDelayMs?: number;
  /** While it says busy, due work waits, each pad at most `maxDeferMs` (default 60 s). */
  load?: LoadSignal;
  maxDeferMs?: number;
}

export class AfterCommitWork {
  private readonly pending: QuietTimers;
  /** Pads whose work is due, with when it became due. */
  private readonly due = new Map<string, number>();
  private draining = false;
  /** The pad's work the queue is running now, if any. */
  private current: Promise<void> | null = null;
  private stopped = false;
  private readonly load: LoadSignal;
  private readonly maxDeferMs: number;

  constructor(
    private readonly work: (padId: string) => Promise<void>,
    private readonly logger: Logger,
    /** What the work is, for the log: "history catch-up". */
    private readonly what: string,
    options: AfterCommitOptions = {},
  ) {
    this.pending = new QuietTimers((padId) => this.markDue(padId), options.delayMs ?? 1000, options.maxDelayMs ?? 10_000);
    this.load = options.load ?? NEVER_BUSY;
    this.maxDeferMs = options.maxDeferMs ?? 60_000;
  }

  /** Called after each commit of `padId`; cheap. */
  committed(padId: string): void {
    if (!this.stopped) this.pending.touch(padId);
  }

  /** Forgets `padId`'s pending work (the pad was deleted). */
  cancel(padId: string): void {
    this.pending.cancel(padId);
    this.due.delete(padId);
  }

  /** Runs all pending and due work now, without waiting for quiet or a calm loop. */
  async flush(): Promise<void> {
    const padIds = new Set([...this.due.keys(), ...this.pending.takeAll()]);
    // The queue skips what is taken here, even while it waits for a calm loop.
    this.due.clear();
    await this.current;
    for (const padId of padIds) await this.run(padId);
  }

  /** Drops pending work (shutdown). */
  stop(): void {
    this.stopped = true;
    this.pending.takeAll();
    this.due.clear();
  }

  private markDue(padId: string): void {
    if (!this.due.has(padId)) this.due.set(padId, Date.now());
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (const [padId, dueSince] of this.due) {
        while (!this.stopped && shouldDefer(this.load, dueSince, this.maxDeferMs)) await sleep(250, undefined, { ref: false });
        if (this.stopped) break;
        if (!this.due.delete(padId)) continue;
        this.current = this.run(padId);
        await this.current;
        this.current = null;
        await yieldToLoop();
      }
    } finally {
      this.draining = false;
    }
  }

  private run(padId: string): Promise<void> {
    return this.work(padId).catch((err: unknown) => this.logger.warn({ padId, err }, `${this.what} failed`));
  }
}
