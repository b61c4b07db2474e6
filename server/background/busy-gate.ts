/**
 * Whether the event loop is busy with live traffic, for background work (search and history
 * indexing) to step aside. Indexing costs about as much per edit as applying it, so under load
 * it competes with live edits for the loop; done a little later, it costs the people typing
 * nothing. `BusyGate.deferred` bounds the wait, so indexes still catch up under
 * sustained load (and history and search requests catch up on their own anyway).
 */
import { performance } from 'node:perf_hooks';

export interface LoadSignal {
  /** True while the event loop's recent utilization is above the gate's threshold. */
  readonly busy: boolean;
}

/** Never busy: background work runs as soon as it is due (tests, tools). */
export const NEVER_BUSY: LoadSignal = { busy: false };

export class BusyGate implements LoadSignal {
  private last = performance.eventLoopUtilization();
  private utilization = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly threshold = 0.75,
    intervalMs = 500,
  ) {
    this.timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.utilization = performance.eventLoopUtilization(now, this.last).utilization;
      this.last = now;
    }, intervalMs);
    this.timer.unref();
  }

  get busy(): boolean {
    return this.utilization > this.threshold;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Whether work first due at `dueSince` should wait for a quieter moment: only while the loop is
 * busy, and never longer than `maxDeferMs`.
 */
export function shouldDefer(signal: LoadSignal, dueSince: number, maxDeferMs: number, now = Date.now()): boolean {
  return signal.busy && now - dueSince < maxDeferMs;
}
