/**
 * Runs tasks at most once per interval: the first at once, later ones within the interval
 * coalesced into one that runs when it ends (the latest task wins). For work a client may ask
 * for as often as it likes but needs only the latest of (awareness relays and answers).
 */
export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  private pending: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  /** `runLater` runs a coalesced task when its interval ends (the caller's error handling). */
  constructor(
    private readonly intervalMs: number,
    private readonly runLater: (task: () => void) => void,
  ) {}

  /** Runs `task` now if the interval since the last run has passed; otherwise keeps it for later. */
  run(task: () => void, now = performance.now()): void {
    if (this.timer === null && now - this.last >= this.intervalMs) {
      this.last = now;
      task();
      return;
    }
    this.pending = task;
    this.timer ??= setTimeout(this.fire, Math.max(0, this.last + this.intervalMs - now));
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private readonly fire = (): void => {
    this.timer = null;
    const task = this.pending;
    this.pending = null;
    this.last = performance.now();
    if (task) this.runLater(task);
  };
}
