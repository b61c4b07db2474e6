/**
 * Twelve person colours, distinct from each other and strong enough to read as a caret line
 * and as a label background on both the light and the dark theme. Labels pick black or white
 * text per colour (`labelTextColor`) for contrast.
 */
export const USER_COLORS = [
  '#e03131', // red
  '#e8590c', // orange
  '#f59f00', // amber
  '#66a80f', // lime
  '#2f9e44', // green
  '#0c8599', // teal
  '#1c7ed6', // blue
  '#4263eb', // indigo
  '#7048e8', // violet
  '#ae3ec9', // grape
  '#d6336c', // pink
  '#a0522d', // brown
] as const;

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && HEX_COLOR.test(value);
}

export function randomUserColor(): string {
  return USER_COLORS[Math.floor(Math.random() * USER_COLORS.length)];
}

/** Index in USER_COLORS, or -1 for a colour from elsewhere (another client). */
export function paletteIndex(color: string): number {
  return (USER_COLORS as readonly string[]).indexOf(color.toLowerCase());
}

/** `#000` or `#fff`, whichever contrasts more with the hex colour `background`. */
export function labelTextColor(background: string): '#000' | '#fff' {
  if (!isHexColor(background)) return '#fff';
  const channel = (offset: number): number => {
    const c = parseInt(background.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white is 1.05 / (L + 0.05); with black (L + 0.05) / 0.05. Equal at L ~ 0.179.
  return luminance > 0.179 ? '#000' : '#fff';
}
