/** Authorship tints keep WCAG AA contrast (4.5:1) with the page text in both themes. */
import { describe, expect, it } from 'vitest';
import { authorTint, contrast } from '../../client/src/history/author-tint.js';
import { USER_COLORS } from '../../client/src/presence/palette.js';

const rgb = (css: string) => css.match(/\d+/g)!.map(Number) as [number, number, number];

describe('authorTint', () => {
  for (const dark of [false, true]) {
    it(`keeps AA contrast for every palette colour and odd inputs (${dark ? 'dark' : 'light'} theme)`, () => {
      const text: [number, number, number] = dark ? [230, 232, 235] : [29, 32, 38];
      for (const color of [...USER_COLORS, '#000000', '#ffffff', '#ff0', 'not a colour', '']) {
        const tint = rgb(authorTint(color, dark));
        expect(contrast(tint, text)).toBeGreaterThanOrEqual(4.5);
      }
    });
  }

  it('gives different authors different tints', () => {
    const tints = new Set(USER_COLORS.map((c) => authorTint(c, false)));
    expect(tints.size).toBe(USER_COLORS.length);
  });
});
