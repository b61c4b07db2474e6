import { describe, expect, it } from 'vitest';
import { distinctColor } from '../../../client/src/presence/distinct-color.js';
import { USER_COLORS } from '../../../client/src/presence/palette.js';

describe('distinct presence colours', () => {
  it('keeps a colour nobody else on the pad has', () => {
    expect(
      distinctColor(
        5,
        '#7048e8',
        new Map([
          [5, '#7048e8'],
          [3, '#e03131'],
        ]),
      ),
    ).toBeNull();
  });

  it('moves only the higher client id of two with the same colour, to a free palette colour', () => {
    const others = new Map([
      [10, '#7048E8'],
      [20, '#7048e8'],
      [30, '#e03131'],
    ]);
    expect(distinctColor(10, '#7048e8', others)).toBeNull();
    const moved = distinctColor(20, '#7048e8', others);
    expect(moved).not.toBeNull();
    expect(USER_COLORS).toContain(moved);
    expect(['#7048e8', '#e03131']).not.toContain(moved);
  });

  it('ends with distinct colours for a pad of twelve who all started alike', () => {
    const people = new Map<number, string>(Array.from({ length: 12 }, (_, i) => [1000 + i * 7, '#2f9e44']));
    // Each moves in turn when it sees the others, as awareness changes arrive; bounded rounds.
    for (let round = 0; round < 12; round += 1) {
      for (const [id, color] of people) {
        const next = distinctColor(id, color, people);
        if (next) people.set(id, next);
      }
    }
    expect(new Set(people.values()).size).toBe(12);
  });

  it('keeps the colour when every palette colour is taken', () => {
    const others = new Map<number, string>(USER_COLORS.map((c, i) => [i, c]));
    expect(distinctColor(99, USER_COLORS[0], others)).toBeNull();
  });
});
