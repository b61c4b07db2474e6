/**
 * Applies rooms' queued plain appends to their docs (see room.ts) a while after the first of
 * them came, unless something reads the doc sooner. They are committed and fanned out
 * meanwhile; batching them saves a Yjs transaction per keystroke.
 */
import type { Room } from './room.js';

/**
 * How long a room's plain appends may wait to be applied. 4 s rather than 1 s: a room of three
 * typists then applies ~30 at once instead of ~8, which at 1,750 busy pads took the server's
 * core from missing its latency goal to meeting it (docs/benchmarks.md, many-pads).
 */
const APPLY_DELAY_MS = 4000;
/**
 * Longest run of applying before the loop gets a turn: rooms that began typing together (a
 * session starting) come due together, and applying hundreds at once stalled every socket.
 */
const APPLY_SLICE_MS = 2;

export class AppendScheduler {
  /** Rooms with queued appends, with when the first of them came, in that order. */
  private readonly waiting = new Map<Room, number>();
  private timer: NodeJS.Timeout | null = null;

  watch(room: Room): void {
    room.on('appendQueued', () => this.queued(room));
  }

  forget(room: Room): void {
    this.waiting.delete(room);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiting.clear();
  }

  private queued(room: Room): void {
    if (this.waiting.has(room)) return;
    this.waiting.set(room, performance.now());
    this.timer ??= setTimeout(this.applyDue, APPLY_DELAY_MS);
  }

  /**
   * Applies the queued appends of the rooms whose first one came `APPLY_DELAY_MS` ago, for at
   * most `APPLY_SLICE_MS` before letting the loop run (then it goes on at the next turn).
   */
  private readonly applyDue = (): void => {
    this.timer = null;
    const started = performance.now();
    for (const [room, since] of this.waiting) {
      const now = performance.now();
      const wait = since + APPLY_DELAY_MS - now;
      if (wait > 0 || now - started >= APPLY_SLICE_MS) {
        this.timer = setTimeout(this.applyDue, Math.max(wait, 0));
        return;
      }
      this.waiting.delete(room);
      room.applyQueuedAppends();
    }
  };
}
