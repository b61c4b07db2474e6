import { describe, expect, it } from 'vitest';
import { PAD_ID_PATTERN, isPadId, normalizePadId, randomPadId } from '../../common/pad-id.js';
import { newReadOnlyId } from '../../server/access/read-only-id.js';

describe('pad ids', () => {
  it.each([
    ['Nova-PTG', 'nova-ptg'],
    ['ACC-Pad', 'acc-pad'],
    ['nova-2027.1-ptg', 'nova-2027.1-ptg'],
    ['Nova-2027.1-PTG', 'nova-2027.1-ptg'],
    ['a.b.c', 'a.b.c'],
    ['a.', 'a.'],
    ['a', 'a'],
    ['x_y-z', 'x_y-z'],
    ['%41bc', 'abc'],
    ['r.short', 'r.short'],
  ])('normalises %s to %s', (raw, id) => {
    expect(normalizePadId(raw)).toBe(id);
  });

  it.each([
    '',
    '-a',
    '_a',
    '.a',
    'a b',
    '..',
    'a..b',
    'a%2e%2eb',
    '%2e%2e',
    'a/b',
    'a%2fb',
    'a\u0000b',
    'café',
    'İstanbul',
    'ǅ',
    '\u212A',
    '%E0%A4%A',
    'a'.repeat(101),
  ])('refuses %j', (raw) => {
    expect(normalizePadId(raw)).toBeNull();
  });

  it('refuses ids shaped like read-only ids, in any case', () => {
    for (let i = 0; i < 20; i += 1) {
      const readOnlyId = newReadOnlyId();
      expect(isPadId(readOnlyId)).toBe(false);
      expect(normalizePadId(readOnlyId.toUpperCase())).toBeNull();
    }
  });

  it('makes random ids that are valid and distinct', () => {
    const ids = new Set(Array.from({ length: 200 }, () => randomPadId()));
    expect(ids.size).toBe(200);
    for (const id of ids) {
      expect(id).toMatch(PAD_ID_PATTERN);
      expect(isPadId(id)).toBe(true);
    }
  });
});
