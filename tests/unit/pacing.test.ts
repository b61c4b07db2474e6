/**
 * The pieces that bound what one connection can make the server do (issue 23): `Throttle`
 * coalesces asked-for work to one run per interval, keeping the latest; `TokenBucket.spend`
 * charges work already done (a CPU budget) and goes into debt.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenBucket } from '../../server/sync/rate-limit.js';
import { Throttle } from '../../server/sync/throttle.js';

describe('Throttle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the first task at once and only the latest of those that follow, once per interval', () => {
    const ran: number[] = [];
    const later: number[] = [];
    const throttle = new Throttle(1000, (task) => {
      later.push(ran.length);
      task();
    });
    for (let i = 0; i < 500; i += 1) throttle.run(() => ran.push(i));
    expect(ran).toEqual([0]);
    vi.advanceTimersByTime(999);
    expect(ran).toEqual([0]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual([0, 499]);
    expect(later).toEqual([1]);
    // Nothing pending: no run at the next interval's end.
    vi.advanceTimersByTime(5000);
    expect(ran).toEqual([0, 499]);
    // Past the interval, a task runs at once again.
    throttle.run(() => ran.push(1000));
    expect(ran).toEqual([0, 499, 1000]);
  });

  it('drops what is pending when cancelled', () => {
    const ran: number[] = [];
    const throttle = new Throttle(50, (task) => task());
    throttle.run(() => ran.push(1));
    throttle.run(() => ran.push(2));
    throttle.cancel();
    vi.advanceTimersByTime(1000);
    expect(ran).toEqual([1]);
  });
});

describe('TokenBucket.spend', () => {
  it('charges work already done into debt, and refills at its rate', () => {
    const bucket = new TokenBucket(100, 1000);
    const start = performance.now();
    expect(bucket.spend(900, start)).toBe(true);
    expect(bucket.spend(200, start)).toBe(false);
    // 100 a second: one second pays the debt of 100 back.
    expect(bucket.spend(0, start + 1000)).toBe(true);
    expect(bucket.take(1, start + 1000)).toBe(false);
    expect(bucket.take(1, start + 1010)).toBe(true);
  });
});
