import { describe, expect, it } from 'vitest';
import { isHexColor, labelTextColor, paletteIndex, USER_COLORS } from '../../../client/src/presence/palette.js';
import { loadUser, saveUser, USER_KEY } from '../../../client/src/presence/user-identity.js';
import { memoryStorage } from './memory-storage.js';

describe('user colours', () => {
  it('has twelve distinct hex colours', () => {
    expect(USER_COLORS).toHaveLength(12);
    expect(new Set(USER_COLORS).size).toBe(12);
    expect(USER_COLORS.every(isHexColor)).toBe(true);
  });

  it('picks the label text with more contrast', () => {
    expect(labelTextColor('#ffffff')).toBe('#000');
    expect(labelTextColor('#000000')).toBe('#fff');
    expect(labelTextColor('#f59f00')).toBe('#000');
    expect(labelTextColor('#7048e8')).toBe('#fff');
    expect(labelTextColor('not a colour')).toBe('#fff');
  });

  it('finds palette colours regardless of case', () => {
    expect(paletteIndex(USER_COLORS[3].toUpperCase())).toBe(3);
    expect(paletteIndex('#123456')).toBe(-1);
  });
});

describe('stored user', () => {
  it('round-trips and rejects unusable values', () => {
    const storage = memoryStorage();
    expect(loadUser(storage)).toBeNull();
    saveUser({ name: 'Ada', color: '#e03131' }, storage);
    expect(loadUser(storage)).toEqual({ name: 'Ada', color: '#e03131' });
    expect(loadUser(memoryStorage({ [USER_KEY]: '{"name":"   "}' }))).toBeNull();
    expect(loadUser(memoryStorage({ [USER_KEY]: '[' }))).toBeNull();
    const recoloured = loadUser(memoryStorage({ [USER_KEY]: '{"name":"Grace","color":"red; x"}' }));
    expect(recoloured?.name).toBe('Grace');
    expect(USER_COLORS as readonly string[]).toContain(recoloured?.color);
  });
});
