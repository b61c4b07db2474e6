import { describe, expect, it } from 'vitest';
import { PAD_ID_PATTERN, normalizePadId, randomPadId } from '../../common/pad-id.js';

describe('pad ids', () => {
  it.each([
    ['Nova-PTG', 'nova-ptg'],
    ['ACC-Pad', 'acc-pad'],
    ['2026.1-ptg'.replace('.', '-'), '2026-1-ptg'],
    ['a', 'a'],
    ['x_y-z', 'x_y-z'],
    ['%41bc', 'abc'],
  ])('normalises %s to %s', (raw, id) => {
    expect(normalizePadId(raw)).toBe(id);
  });

  it.each(['', '-a', '_a', 'a b', '..', '%2e%2e', 'a/b', 'a%2fb', 'a\u0000b', 'café', 'İstanbul', 'ǅ', '\u212A', '%E0%A4%A', 'a'.repeat(101)])(
    'refuses %j',
    (raw) => {
      expect(normalizePadId(raw)).toBeNull();
    },
  );

  it('makes random ids that are valid and distinct', () => {
    const ids = new Set(Array.from({ length: 200 }, () => randomPadId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(PAD_ID_PATTERN);
  });
});
