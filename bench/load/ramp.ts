/**
 * Ramps load against one server and reports the most it sustained with p95 latency under the
 * target and no errors. Each level holds for `holdMs`; latency is measured over its second half.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { summarize } from '../lib/stats.js';
import { SentLog, newStats, type LoadStats } from './load-clients.js';
import type { RunningServer } from './servers.js';
import { ObserverProcess } from './observer-process.js';
import { RawAuthor } from './raw-author.js';
import { RawLurker } from './raw-lurker.js';
import { WIRES } from './wire.js';

/** Sync step 1 with an empty state vector: "send me everything". */
const SYNC_STEP1_EMPTY = new Uint8Array([0, 0, 1, 0]);

export interface LevelResult {
  level: number;
  authors: number;
  lurkers: number;
  p50: number;
  p95: number;
  p99: number;
  samples: number;
  msgsInPerSec: number;
  /** Bytes the generator received per second: every client should get every edit. */
  bytesInPerSec: number;
  serverCpu: number;
  serverRssMb: number;
  generatorLagP99: number;
  /** CPU the generator itself used in the window, share of one core. */
  generatorCpu: number;
  errors: number;
  ok: boolean;
}

type Role = 'lurker' | 'author' | 'observer' | 'late-observer';

export interface RampPlan {
  /** Levels to try, in order (authors for one pad, pads for many pads). */
  levels: number[];
  /**
   * Opens what a level needs beyond what is open. A 'late-observer' joins once everything else
   * the level opened is connected, in place of the previous level's: the peer that joined last,
   * which every server here reaches last in each broadcast (they write in join order).
   */
  grow(level: number, open: (role: Role, pad: string) => void): Promise<void>;
  holdMs: number;
  p95TargetMs: number;
  budgetMs: number;
  describe(level: number): { authors: number; lurkers: number };
  /** Text every author starts from (already on the server). */
  seed?: Uint8Array;
}

export async function ramp(server: RunningServer, plan: RampPlan): Promise<LevelResult[]> {
  const wire = WIRES[server.kind];
  const stats: LoadStats = newStats();
  const log = new SentLog();
  const observers = new ObserverProcess(server.kind, server.port, log, stats);
  const clients: { close(): void }[] = [observers];
  const pendingSync: Promise<void>[] = [];
  const observerPads: string[] = [];
  const latePads: string[] = [];
  const open = (role: Role, pad: string) => {
    if (role === 'observer' || role === 'late-observer') {
      (role === 'observer' ? observerPads : latePads).push(pad);
      log.observe(pad);
      return;
    }
    if (role === 'lurker') {
      const lurker = new RawLurker(new URL(wire.url(server.port, pad)), [...wire.hello(pad), wire.wrap(pad, SYNC_STEP1_EMPTY)], stats);
      clients.push(lurker);
      pendingSync.push(lurker.connect().catch(() => void (stats.errors += 1)));
      return;
    }
    const author = new RawAuthor(wire, server.port, pad, stats, log, plan.seed ?? null);
    clients.push(author);
    pendingSync.push(
      author.connect().then(
        () => author.startTyping(),
        () => void (stats.errors += 1),
      ),
    );
  };
  const results: LevelResult[] = [];
  const started = performance.now();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  try {
    for (const level of plan.levels) {
      if (performance.now() - started > plan.budgetMs) break;
      await plan.grow(level, open);
      if (observerPads.length > 0) pendingSync.push(observers.open(observerPads.splice(0)));
      await Promise.all(pendingSync.splice(0));
      if (latePads.length > 0) await observers.open(latePads.splice(0), true);
      // A level that misses is measured once more before the ramp stops: on a shared 2-core
      // machine one window can catch a pause that is not the server's.
      let result: LevelResult | null = null;
      for (let attempt = 0; attempt < 2 && !result?.ok; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, plan.holdMs / 2));
        log.latencies = [];
        lag.reset();
        const errorsBefore = stats.errors + stats.disconnects;
        const msgsBefore = stats.messagesIn;
        const bytesBefore = stats.bytesIn;
        const cpuBefore = server.cpuSeconds();
        const ownCpuBefore = process.cpuUsage();
        const windowStart = performance.now();
        await new Promise((resolve) => setTimeout(resolve, plan.holdMs / 2));
        const seconds = (performance.now() - windowStart) / 1000;
        const latency = summarize(log.latencies);
        const errors = stats.errors + stats.disconnects - errorsBefore;
        result = {
          level,
          ...plan.describe(level),
          p50: latency.p50,
          p95: latency.p95,
          p99: latency.p99,
          samples: latency.n,
          msgsInPerSec: (stats.messagesIn - msgsBefore) / seconds,
          bytesInPerSec: (stats.bytesIn - bytesBefore) / seconds,
          serverCpu: (server.cpuSeconds() - cpuBefore) / seconds,
          serverRssMb: server.rssBytes() / 1e6,
          generatorLagP99: lag.percentile(99) / 1e6,
          generatorCpu: (() => {
            const used = process.cpuUsage(ownCpuBefore);
            return (used.user + used.system) / 1e6 / seconds;
          })(),
          errors,
          ok: latency.n > 0 && latency.p95 < plan.p95TargetMs && errors === 0,
        };
        process.stderr.write(
          `  ${server.kind} level ${level}: p95 ${result.p95.toFixed(1)} ms, cpu ${(result.serverCpu * 100).toFixed(0)}%, rss ${result.serverRssMb.toFixed(0)} MB, lag p99 ${result.generatorLagP99.toFixed(0)} ms, generator cpu ${(result.generatorCpu * 100).toFixed(0)}%, in ${(result.msgsInPerSec / 1000).toFixed(1)}k msgs/s ${(result.bytesInPerSec / 1e6).toFixed(1)} MB/s, errors ${errors}\n`,
        );
      }
      results.push(result!);
      if (!result!.ok) break;
    }
  } finally {
    lag.disable();
    for (const client of clients) client.close();
  }
  return results;
}

/** The highest level that passed, or 0. */
export const sustained = (results: readonly LevelResult[]) => results.filter((r) => r.ok).reduce((max, r) => Math.max(max, r.level), 0);
