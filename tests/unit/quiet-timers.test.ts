import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietTimers } from '../../server/background/quiet-timers.js';

describe('QuietTimers', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('runs once a key has been quiet, with the time of its first touch', () => {
    const due = new Map<string, number>();
    const timers = new QuietTimers((key, since) => due.set(key, since), 40, 1000);
    const first = Date.now();
    timers.touch('a');
    vi.advanceTimersByTime(10);
    timers.touch('a');
    timers.touch('b');
    // 'a' was touched again at 10 ms: its first timer (at 40 ms) finds it quiet for only 30 ms.
    vi.advanceTimersByTime(39);
    expect(due).toEqual(new Map());
    vi.advanceTimersByTime(1);
    expect(due).toEqual(
      new Map([
        ['a', first],
        ['b', first + 10],
      ]),
    );
  });

  it('runs at the ceiling under constant touches, not at every touch, with one timer per key', () => {
    const due: number[] = [];
    const timers = new QuietTimers(() => due.push(Date.now()), 40, 150);
    const start = Date.now();
    for (let elapsed = 0; elapsed < 400; elapsed += 5) {
      timers.touch('busy');
      vi.advanceTimersByTime(5);
      expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
    }
    expect(timers.takeAll()).toEqual(['busy']);
    expect(vi.getTimerCount()).toBe(0);
    expect(due).toEqual([start + 150, start + 300]);
  });

  it('forgets cancelled and taken keys', () => {
    const due: string[] = [];
    const timers = new QuietTimers((key) => due.push(key), 20, 1000);
    timers.touch('gone');
    timers.cancel('gone');
    timers.touch('taken');
    expect(timers.takeAll()).toEqual(['taken']);
    timers.touch('kept');
    vi.advanceTimersByTime(20);
    expect(due).toEqual(['kept']);
    vi.advanceTimersByTime(1000);
    expect(due).toEqual(['kept']);
  });
});
