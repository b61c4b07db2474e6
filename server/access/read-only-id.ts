/**
 * Read-only ids: `r.` + 130 bits from the CSPRNG in lowercase base32 (26 characters). Pad ids may
 * hold dots since the Etherpad migration, but never this exact form (common/pad-id.ts), so the
 * two never collide; lowercase keeps them valid under the case-insensitive handling of pad ids.
 */
import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
export const READ_ONLY_ID_PATTERN = /^r\.[a-z2-7]{26}$/;

export function newReadOnlyId(): string {
  const bytes = randomBytes(17);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `r.${out}`;
}

/** The canonical read-only id for a path segment, or null if it is not one. */
export function normalizeReadOnlyId(raw: string): string | null {
  const lower = raw.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return READ_ONLY_ID_PATTERN.test(lower) ? lower : null;
}
