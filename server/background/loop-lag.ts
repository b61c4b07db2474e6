/**
 * How far behind the event loop runs: a timer that should fire every `intervalMs` notes how late
 * it fired. `lagMs` is the worst delay of the last one to two windows, or the delay of a tick
 * overdue right now (asked from inside a long stall, it already shows it). This is what every
 * socket waits on top of its own work, so load shedding goes by it (`WebSocketGateway`).
 */
import { performance } from 'node:perf_hooks';

export class LoopLag {
  private lastTick = performance.now();
  private worstThisWindow = 0;
  private worstLastWindow = 0;
  private windowStart = this.lastTick;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly intervalMs = 50,
    private readonly windowMs = 1000,
  ) {
    this.timer = setInterval(this.tick, intervalMs);
    this.timer.unref();
  }

  /** Worst lag lately, ms. */
  get lagMs(): number {
    const overdue = performance.now() - this.lastTick - this.intervalMs;
    return Math.max(this.worstThisWindow, this.worstLastWindow, overdue, 0);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private readonly tick = (): void => {
    const now = performance.now();
    const lag = now - this.lastTick - this.intervalMs;
    this.lastTick = now;
    if (now - this.windowStart >= this.windowMs) {
      this.worstLastWindow = this.worstThisWindow;
      this.worstThisWindow = 0;
      this.windowStart = now;
    }
    if (lag > this.worstThisWindow) this.worstThisWindow = lag;
  };
}
