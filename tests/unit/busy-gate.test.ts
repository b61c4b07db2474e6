import { describe, expect, it } from 'vitest';
import { BusyGate, NEVER_BUSY, shouldDefer } from '../../server/background/busy-gate.js';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('busy gate', () => {
  it('reports busy while the event loop is saturated, and quiet after', async () => {
    const gate = new BusyGate(0.75, 100);
    try {
      // Keep the loop ~95% busy for 600 ms, yielding briefly so the gate's timer can sample.
      for (let i = 0; i < 30; i += 1) {
        spin(19);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(gate.busy).toBe(true);
      await sleep(350);
      expect(gate.busy).toBe(false);
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
