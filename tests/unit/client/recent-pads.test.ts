import { describe, expect, it } from 'vitest';
import { loadRecentPads, padPath, RECENT_PADS_KEY, RECENT_PADS_LIMIT, recordPadVisit } from '../../../client/src/storage/recent-pads.js';
import { memoryStorage } from './memory-storage.js';

describe('recent pads', () => {
  it('puts the latest visit first, once', () => {
    const storage = memoryStorage();
    recordPadVisit('a', storage, 1);
    recordPadVisit('b', storage, 2);
    recordPadVisit('a', storage, 3);
    expect(loadRecentPads(storage)).toEqual([
      { id: 'a', visitedAt: 3 },
      { id: 'b', visitedAt: 2 },
    ]);
  });

  it(`keeps at most ${RECENT_PADS_LIMIT}`, () => {
    const storage = memoryStorage();
    for (let i = 0; i < RECENT_PADS_LIMIT + 5; i++) recordPadVisit(`pad-${i}`, storage, i);
    const pads = loadRecentPads(storage);
    expect(pads).toHaveLength(RECENT_PADS_LIMIT);
    expect(pads[0].id).toBe(`pad-${RECENT_PADS_LIMIT + 4}`);
  });

  it('ignores what it cannot trust', () => {
    const stored = [
      { id: 'ok', visitedAt: 1 },
      { id: '../etc', visitedAt: 2 },
      { id: 'UPPER', visitedAt: 3 },
      { id: 'no-time' },
      { id: 'inf', visitedAt: null },
      'junk',
      null,
    ];
    expect(loadRecentPads(memoryStorage({ [RECENT_PADS_KEY]: JSON.stringify(stored) }))).toEqual([{ id: 'ok', visitedAt: 1 }]);
    expect(loadRecentPads(memoryStorage({ [RECENT_PADS_KEY]: '{not json' }))).toEqual([]);
    expect(loadRecentPads(memoryStorage({ [RECENT_PADS_KEY]: '{"id":"x"}' }))).toEqual([]);
  });

  it('builds pad paths', () => {
    expect(padPath('nova-ptg')).toBe('/p/nova-ptg');
  });
});
