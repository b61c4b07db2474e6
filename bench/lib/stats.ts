/** Percentiles and small helpers for benchmark reports. */
import { cpus } from 'node:os';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarize(values: readonly number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;

/** A comma-separated list of positive numbers from the environment (`BENCH_LEVELS=600,800`), or `fallback`. */
export function numbersFromEnv(name: string, fallback: number[]): number[] {
  return (
    process.env[name]
      ?.split(',')
      .map(Number)
      .filter((n) => n > 0) ?? fallback
  );
}

export function machine(): string {
  return `${cpus().length} cores, Node ${process.version}`;
}

/**
 * Watches this process's event loop with a 2 ms timer; `stop` returns the longest gap between
 * ticks since the start (the last one counted up to the stop).
 */
export function watchLoopStalls(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 2);
  return {
    stop() {
      clearInterval(ticker);
      return Math.max(longest, performance.now() - last);
    },
  };
}

/** Seeded PRNG (mulberry32): the same sequence for the same seed, in every run. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
