/**
 * WCAG contrast of text as the browser draws it: the element's computed colour against the
 * first opaque background among it and its ancestors (what axe-core's color-contrast rule
 * does for plain text).
 */
import type { Locator } from 'playwright-core';

/** The lowest contrast of any of `locator`'s elements (and of links inside them). */
export function lowestContrast(locator: Locator): Promise<{ ratio: number; text: string; color: string; background: string }> {
  return locator.evaluateAll((elements) => {
    const rgba = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]): number => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const backgroundOf = (el: Element | null): string => {
      for (let node = el; node; node = node.parentElement) {
        const bg = getComputedStyle(node).backgroundColor;
        const parts = rgba(bg);
        if (parts.length >= 3 && (parts.length === 3 || parts[3] === 1)) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    let worst = { ratio: Infinity, text: '', color: '', background: '' };
    for (const element of elements) {
      for (const el of [element, ...Array.from(element.querySelectorAll('a'))]) {
        const color = getComputedStyle(el).color;
        const background = backgroundOf(el);
        const [a, b] = [luminance(rgba(color)), luminance(rgba(background))].sort((x, y) => y - x);
        const ratio = (a + 0.05) / (b + 0.05);
        if (ratio < worst.ratio) worst = { ratio, text: el.textContent ?? '', color, background };
      }
    }
    return worst;
  });
}
