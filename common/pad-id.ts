/**
 * Pad ids: case-insensitive, canonically lowercase, Etherpad and ptgbot style
 * (`<event>-<team>`, `<event>-<team>-<topic>`, release names such as `nova-2027.1-ptg`).
 * Anything else is refused before it reaches a query or the filesystem.
 */
export const PAD_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * The form of read-only ids (`r.` + 26 base32 characters, server/access/read-only-id.ts): a pad
 * id may not take it, or `/p/<id>` and `/r/<id>` could name two different pads.
 */
const READ_ONLY_FORM = /^r\.[a-z2-7]{26}$/;

/** True if `id` is a canonical pad id: the pattern, no `..`, not shaped like a read-only id. */
export function isPadId(id: string): boolean {
  return PAD_ID_PATTERN.test(id) && !id.includes('..') && !READ_ONLY_FORM.test(id);
}

/** What a person is told when a pad id is refused. */
export const PAD_ID_RULES =
  'Pad ids are 1-100 characters: letters, digits, ".", "-" and "_", starting with a letter or digit, without "..".';

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
  return isPadId(lower) ? lower : null;
}

const RANDOM_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A random, readable pad name such as `k7dq-x2mf-9pza` (60 bits). */
export function randomPadId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  const chars = Array.from(bytes, (b) => RANDOM_ALPHABET[b % RANDOM_ALPHABET.length]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((g) => g.join('')).join('-');
}
