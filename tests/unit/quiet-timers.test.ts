import { describe, expect, it } from 'vitest';
import { QuietTimers } from '../../server/background/quiet-timers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('QuietTimers', () => {
  it('runs once a key has been quiet, with the time of its first touch', async () => {
    const due: [string, number][] = [];
    const timers = new QuietTimers((key, since) => due.push([key, since]), 40, 1000);
    const first = Date.now();
    timers.touch('a');
    await sleep(10);
    timers.touch('a');
    timers.touch('b');
    await sleep(20);
    expect(due).toEqual([]);
    await sleep(60);
    expect(due.map(([key]) => key).sort()).toEqual(['a', 'b']);
    expect(due.find(([key]) => key === 'a')![1]).toBeLessThanOrEqual(first + 5);
  });

  it('runs at the ceiling under constant touches, not at every touch', async () => {
    const due: number[] = [];
    const timers = new QuietTimers(() => due.push(Date.now()), 40, 150);
    const start = Date.now();
    while (Date.now() - start < 400) {
      timers.touch('busy');
      await sleep(5);
    }
    timers.takeAll();
    expect(due.length).toBeGreaterThanOrEqual(1);
    expect(due.length).toBeLessThanOrEqual(3);
    expect(due[0] - start).toBeGreaterThanOrEqual(145);
  });

  it('forgets cancelled and taken keys', async () => {
    const due: string[] = [];
    const timers = new QuietTimers((key) => due.push(key), 20, 1000);
    timers.touch('gone');
    timers.cancel('gone');
    timers.touch('taken');
    expect(timers.takeAll()).toEqual(['taken']);
    timers.touch('kept');
    await sleep(60);
    expect(due).toEqual(['kept']);
  });
});
