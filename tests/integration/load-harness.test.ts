/**
 * The benchmark harness's building blocks against a real server for a few seconds: authors
 * type, bare-socket lurkers receive, observers measure latency, and the ramp reports a level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ramp, sustained } from '../../bench/load/ramp.js';
import type { RunningServer } from '../../bench/load/servers.js';
import { summarize } from '../../bench/lib/stats.js';
import { waitUntil } from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

describe('load harness', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcess();
  });
  afterAll(async () => {
    await server.close();
  });

  it('measures keystroke-to-remote-apply latency for a small level and reports it', async () => {
    const port = Number(new URL(server.baseUrl).port);
    const target: RunningServer = {
      kind: 'gatherpad',
      port,
      pid: process.pid,
      dataDir: server.dataDir,
      cpuSeconds: () => process.cpuUsage().user / 1e6,
      rssBytes: () => process.memoryUsage().rss,
      stop: async () => {},
    };
    let authors = 0;
    const results = await ramp(target, {
      levels: [5],
      holdMs: 3000,
      p95TargetMs: 1000,
      budgetMs: 20_000,
      describe: (level) => ({ authors: level, lurkers: level * 3 }),
      async grow(level, open) {
        open('observer', 'harness');
        for (; authors < level; authors += 1) {
          open('author', 'harness');
          for (let l = 0; l < 3; l += 1) open('lurker', 'harness');
        }
      },
    });
    expect(results).toHaveLength(1);
    const [level] = results;
    // 5 authors typing every 400 ms for 1.5 s: a few samples each, all seen by the observer.
    expect(level.samples).toBeGreaterThan(5);
    expect(level.p95).toBeGreaterThan(0);
    expect(level.errors).toBe(0);
    expect(level.msgsInPerSec).toBeGreaterThan(0);
    expect(sustained(results)).toBe(5);
    // Every client was closed when the ramp ended.
    await waitUntil(() => server.app.rooms.peek('harness')?.peers.size === 0, 'all harness clients gone');
  });

  it("opens a late observer after each level's clients, in place of the previous one", async () => {
    const port = Number(new URL(server.baseUrl).port);
    const target: RunningServer = {
      kind: 'gatherpad',
      port,
      pid: process.pid,
      dataDir: server.dataDir,
      cpuSeconds: () => process.cpuUsage().user / 1e6,
      rssBytes: () => process.memoryUsage().rss,
      stop: async () => {},
    };
    let authors = 0;
    const peersAtGrow: number[] = [];
    const peersMeasured: number[] = [];
    const room = () => server.app.rooms.peek('harness-late');
    const results = await ramp(target, {
      levels: [2, 4],
      holdMs: 1500,
      p95TargetMs: 1000,
      budgetMs: 20_000,
      describe: (level) => {
        peersMeasured.push(room()?.peers.size ?? 0);
        return { authors: level, lurkers: level };
      },
      async grow(level, open) {
        peersAtGrow.push(room()?.peers.size ?? 0);
        if (authors === 0) open('observer', 'harness-late');
        for (; authors < level; authors += 1) {
          open('author', 'harness-late');
          open('lurker', 'harness-late');
        }
        open('late-observer', 'harness-late');
      },
    });
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    // Level 2: 1 observer + 2 authors + 2 lurkers + 1 late observer. Level 4 closed that late
    // observer before opening its own, so no level holds two.
    expect(peersAtGrow).toEqual([0, 6]);
    expect(peersMeasured).toEqual([6, 10]);
    await waitUntil(() => room()?.peers.size === 0, 'all harness clients gone');
  });

  it('summarizes percentiles', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(s).toMatchObject({ n: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });
});
