/**
 * Background shades for authorship colours that keep WCAG AA contrast (4.5:1) with every text
 * colour a pad shows over them (text, links, muted text) in the light and the dark theme. A
 * shade keeps the author colour's hue and saturation and takes the lightness closest to the
 * colour's own that still passes: the most colourful shade that stays readable.
 */
export type Rgb = [number, number, number];

/** The theme colours a shade is checked against (styles.css and theme/theme.css). */
export const THEME_TEXT: Record<'light' | 'dark', { background: Rgb; texts: Rgb[] }> = {
  // --bg; --fg, --accent (links), --fg-muted (quotes, done tasks)
  light: {
    background: [255, 255, 255],
    texts: [
      [29, 32, 38],
      [28, 100, 214],
      [93, 100, 112],
    ],
  },
  dark: {
    background: [23, 25, 29],
    texts: [
      [230, 232, 235],
      [110, 168, 254],
      [160, 167, 178],
    ],
  },
};

/** AA is 4.5; the margin covers rounding to whole channel values. */
const TARGET = 4.6;

export function parseHex(hex: string): Rgb | null {
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

function toHsl([r, g, b]: Rgb): [number, number, number] {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === rn ? (gn - bn) / d + (gn < bn ? 6 : 0) : max === gn ? (bn - rn) / d + 2 : (rn - gn) / d + 4;
  return [h / 6, s, l];
}

function fromHsl(h: number, s: number, l: number): Rgb {
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number) => {
    const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    const v = u < 1 / 6 ? p + (q - p) * 6 * u : u < 1 / 2 ? q : u < 2 / 3 ? p + (q - p) * (2 / 3 - u) * 6 : p;
    return Math.round(v * 255);
  };
  return [channel(h + 1 / 3), channel(h), channel(h - 1 / 3)];
}

const readable = (shade: Rgb, texts: Rgb[]) => texts.every((text) => contrast(shade, text) >= TARGET);

/** A shade of `color` (hex) for the theme; a grey for anything that is not a hex colour. */
export function authorShade(color: string, theme: 'light' | 'dark'): Rgb {
  const [h, s] = toHsl(parseHex(color) ?? [134, 142, 150]);
  const { texts, background } = THEME_TEXT[theme];
  // Light theme: lighter is safer, search down from white; dark theme: up from black.
  let safe = theme === 'light' ? 1 : 0;
  let unsafe = 0.5;
  for (let i = 0; i < 20; i += 1) {
    const mid = (safe + unsafe) / 2;
    if (readable(fromHsl(h, s, mid), texts)) safe = mid;
    else unsafe = mid;
  }
  const shade = fromHsl(h, s, safe);
  return readable(shade, texts) ? shade : background;
}

/** `authorShade` as a CSS colour; `dark` for the dark theme. */
export function authorTint(color: string, dark: boolean): string {
  return `rgb(${authorShade(color, dark ? 'dark' : 'light').join(', ')})`;
}
