/**
 * Background tints for authorship colours that keep WCAG AA contrast (4.5:1) with the page
 * text: a light tint of the author's colour in the light theme, a dark one in the dark theme.
 */
type Rgb = [number, number, number];

function parseHex(hex: string): Rgb | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  const h = m[1].length === 3 ? m[1].replace(/./g, (c) => c + c) : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => a.map((v, i) => Math.round(v * t + b[i] * (1 - t))) as Rgb;

/** A tint of `color` over the theme background with at least AA contrast against the text. */
export function authorTint(color: string, dark: boolean): string {
  const base = parseHex(color) ?? [134, 142, 150];
  const bg: Rgb = dark ? [23, 25, 29] : [255, 255, 255];
  const fg: Rgb = dark ? [230, 232, 235] : [29, 32, 38];
  for (let t = dark ? 0.45 : 0.35; t > 0; t -= 0.05) {
    const tint = mix(base, bg, t);
    if (contrast(tint, fg) >= 4.5) return `rgb(${tint.join(', ')})`;
  }
  return `rgb(${bg.join(', ')})`;
}
