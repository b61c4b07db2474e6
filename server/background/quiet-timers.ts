/**
 * Debounce per key, with a ceiling: call `touch(key)` after each change; `onDue(key, since)`
 * runs once the key has been quiet for `quietMs`, or `maxWaitMs` after its first pending touch
 * if the changes never stop (`since` is that first touch). For background work that follows
 * commits (search and history indexing): re-indexing every pad under constant typing every
 * second took a real share of the server under load.
 *
 * A pending key keeps one timer, re-armed only when it fires: a touch is a map lookup and a
 * field write, where clearing and re-arming a timer per commit allocated a timer for every
 * commit of every busy pad.
 */
interface Pending {
  since: number;
  last: number;
  timer: NodeJS.Timeout;
}

export class QuietTimers {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly onDue: (key: string, since: number) => void,
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
  ) {}

  touch(key: string): void {
    const now = Date.now();
    const pending = this.pending.get(key);
    if (pending) pending.last = now;
    else this.pending.set(key, { since: now, last: now, timer: this.arm(key, this.quietMs) });
  }

  cancel(key: string): void {
    const pending = this.pending.get(key);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(key);
  }

  /** Forgets every pending key and returns them (to run their work now, or never). */
  takeAll(): string[] {
    const keys = Array.from(this.pending.keys());
    for (const key of keys) this.cancel(key);
    return keys;
  }

  private arm(key: string, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.fire(key), ms);
    timer.unref();
    return timer;
  }

  private fire(key: string): void {
    const pending = this.pending.get(key);
    if (!pending) return;
    const now = Date.now();
    const quietFor = now - pending.last;
    const waited = now - pending.since;
    if (quietFor < this.quietMs && waited < this.maxWaitMs) {
      pending.timer = this.arm(key, Math.min(this.quietMs - quietFor, this.maxWaitMs - waited));
      return;
    }
    this.pending.delete(key);
    this.onDue(key, pending.since);
  }
}
