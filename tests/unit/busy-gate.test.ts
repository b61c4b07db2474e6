import { afterEach, describe, expect, it, vi } from 'vitest';
import { BusyGate, NEVER_BUSY, shouldDefer } from '../../server/background/busy-gate.js';
import { waitUntil } from '../helpers/clients.js';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('busy gate', () => {
  afterEach(() => vi.useRealTimers());

  it('reports busy while the event loop is saturated, and quiet after', async () => {
    // The gate's sampling interval is faked, so each sample is taken when the test says; the
    // utilization it samples is the real event loop's, over the real time since the last one.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const gate = new BusyGate(0.75, 100);
    const sample = () => vi.advanceTimersByTime(100);
    // Each poll lets the loop idle ~10 ms (a real timer), then samples.
    const sampledQuiet = () => {
      sample();
      return !gate.busy;
    };
    const quietAfterIdling = () => waitUntil(sampledQuiet, 'the gate to report quiet once the loop idles', 2_000);
    try {
      await quietAfterIdling();
      // Keep the loop ~95% busy for 200 ms, yielding briefly as live traffic would.
      for (let i = 0; i < 10; i += 1) {
        spin(19);
        await new Promise((resolve) => setImmediate(resolve));
      }
      sample();
      expect(gate.busy).toBe(true);
      await quietAfterIdling();
    } finally {
      gate.stop();
    }
  });

  it('defers only while busy and never past the bound', () => {
    const busy = { busy: true };
    expect(shouldDefer(busy, 1_000, 5_000, 3_000)).toBe(true);
    expect(shouldDefer(busy, 1_000, 5_000, 6_000)).toBe(false);
    expect(shouldDefer(NEVER_BUSY, 1_000, 5_000, 3_000)).toBe(false);
  });
});
