/** Revisions grouped by pauses, and the zoom levels from a pad's own pauses. */
import { describe, expect, it } from 'vitest';
import { groupByPauses, pauseLevels, pausesBetween } from '../../server/history/revision-groups.js';

const MIN = 60_000;

/** Revisions 1..n, each 1 s long, starting at the given minutes. */
function revisionsAt(
  startsInMinutes: number[],
  author = 'a',
): { rev: number; startTime: number; endTime: number; authors: string[]; inserted: number; deleted: number }[] {
  return startsInMinutes.map((m, i) => ({
    rev: i + 1,
    startTime: m * MIN,
    endTime: m * MIN + 1000,
    authors: [i % 2 ? 'b' : author],
    inserted: 10,
    deleted: 1,
  }));
}

describe('groupByPauses', () => {
  it('splits at pauses of at least pauseMs and sums what the revisions did', () => {
    const revisions = revisionsAt([0, 0.1, 0.2, 10, 10.1, 30]);
    const groups = groupByPauses(revisions, 5 * MIN);
    expect(groups.map((g) => [g.firstRev, g.lastRev])).toEqual([
      [1, 3],
      [4, 5],
      [6, 6],
    ]);
    expect(groups[0]).toMatchObject({
      startTime: 0,
      endTime: 0.2 * MIN + 1000,
      authors: ['a', 'b'],
      revisions: 3,
      inserted: 30,
      deleted: 3,
    });
  });

  it('puts every revision in its own group at 0, and all in one at a pause longer than any', () => {
    const revisions = revisionsAt([0, 1, 2, 3]);
    expect(groupByPauses(revisions, 0)).toHaveLength(4);
    expect(groupByPauses(revisions, 60 * MIN)).toHaveLength(1);
    expect(groupByPauses([], 0)).toEqual([]);
    expect(() => groupByPauses(revisions, -1)).toThrow(RangeError);
  });
});

describe('pauseLevels', () => {
  it('zooms from the longest pauses to single revisions, each level about four times finer', () => {
    // 418 revisions in 13 minutes: bursts of typing with pauses of every length.
    const starts: number[] = [];
    let t = 0;
    for (let i = 0; i < 418; i += 1) {
      starts.push(t);
      t += i % 97 === 96 ? 2 : i % 23 === 22 ? 0.5 : i % 5 === 4 ? 0.05 : 0.02;
    }
    const revisions = revisionsAt(starts);
    const levels = pauseLevels(pausesBetween(revisions));
    expect(levels[levels.length - 1]).toBe(0);
    const counts = levels.map((level) => groupByPauses(revisions, level).length);
    expect(counts[0]).toBeGreaterThanOrEqual(2);
    expect(counts[0]).toBeLessThanOrEqual(8);
    expect(counts[counts.length - 1]).toBe(418);
    for (let i = 1; i < counts.length; i += 1) expect(counts[i]).toBeGreaterThan(counts[i - 1]);
    for (let i = 1; i < levels.length; i += 1) expect(levels[i]).toBeLessThan(levels[i - 1]);
  });

  it('has only single revisions for a pad without pauses, and one grouped level for a few', () => {
    expect(pauseLevels([])).toEqual([0]);
    expect(pauseLevels([0, 0])).toEqual([0]);
    expect(pauseLevels([5000, 0, 70_000])).toEqual([5000, 0]);
  });
});
