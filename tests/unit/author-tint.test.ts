/** Authorship shades keep WCAG AA contrast (4.5:1) with every text colour of a pad, in both themes. */
import { describe, expect, it } from 'vitest';
import { authorShade, authorTint, contrast, THEME_TEXT } from '../../client/src/authorship/author-tint.js';
import { USER_COLORS } from '../../client/src/presence/palette.js';

const rgb = (css: string) => css.match(/\d+/g)!.map(Number) as [number, number, number];

describe('authorTint', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`keeps AA contrast with text, links and muted text for every palette colour and odd inputs (${theme})`, () => {
      for (const color of [...USER_COLORS, '#000000', '#ffffff', '#ff0', '#868e96', 'not a colour', '']) {
        const shade = rgb(authorTint(color, theme === 'dark'));
        for (const text of THEME_TEXT[theme].texts) expect(contrast(shade, text)).toBeGreaterThanOrEqual(4.5);
      }
    });

    it(`gives the palette's colours twelve different shades that differ from the page (${theme})`, () => {
      const shades = USER_COLORS.map((c) => authorShade(c, theme).join());
      expect(new Set(shades).size).toBe(USER_COLORS.length);
      expect(shades).not.toContain(THEME_TEXT[theme].background.join());
    });
  }
});
