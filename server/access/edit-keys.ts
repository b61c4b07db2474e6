/**
 * Edit keys: shared secrets that a team, an event or a single pad can require for writing.
 * Stored as salted SHA-256; compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Longest edit key accepted, characters. */
export const MAX_EDIT_KEY_LENGTH = 200;

export function hashEditKey(key: string): string {
  const salt = randomBytes(16).toString('base64url');
  return `sha256:${salt}:${createHash('sha256').update(`${salt}:${key}`).digest('base64url')}`;
}

export function editKeyMatches(key: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split(':');
  if (scheme !== 'sha256' || !salt || !hash) return false;
  const given = createHash('sha256').update(`${salt}:${key}`).digest();
  const expected = Buffer.from(hash, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const padScope = (padId: string) => `pad:${padId}`;
export const teamScope = (event: string, team: string) => `team:${event}/${team}`;
export const eventScope = (event: string) => `event:${event}`;
