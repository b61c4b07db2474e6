/**
 * Pad ids: case-insensitive, canonically lowercase, Etherpad and ptgbot style
 * (`<event>-<team>`, `<event>-<team>-<topic>`). Anything else is refused before it reaches a
 * query or the filesystem.
 */
export const PAD_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,99}$/;

/** The canonical id for `raw` (a path segment, possibly percent-encoded), or null if invalid. */
export function normalizePadId(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  // Lowercase only ASCII: a Unicode lowercase mapping could fold a different id onto a valid one.
  const lower = decoded.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return PAD_ID_PATTERN.test(lower) ? lower : null;
}

const RANDOM_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A random, readable pad name such as `k7dq-x2mf-9pza` (60 bits). */
export function randomPadId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  const chars = Array.from(bytes, (b) => RANDOM_ALPHABET[b % RANDOM_ALPHABET.length]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((g) => g.join('')).join('-');
}
