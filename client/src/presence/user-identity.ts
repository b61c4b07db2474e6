/**
 * Who "I" am on every pad in this browser: a display name and a colour, remembered in
 * localStorage under `gatherpad:user` as `{ name, color }`. The same shape goes into the
 * awareness state field `user` (CollaborationCaret's convention). Names are what people claim,
 * never an identity the server trusts.
 */
import { isHexColor, randomUserColor } from './palette.js';

export const USER_KEY = 'gatherpad:user';
/** Longer names are cut: they would swamp caret labels and the people list. */
export const MAX_NAME_LENGTH = 40;

export interface UserIdentity {
  name: string;
  color: string;
}

export function cleanName(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

/** The remembered identity, or null on a first visit (or if what is stored is unusable). */
export function loadUser(storage: Storage = localStorage): UserIdentity | null {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(USER_KEY) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { name, color } = parsed as Record<string, unknown>;
    if (typeof name !== 'string' || cleanName(name) === '') return null;
    return { name: cleanName(name), color: isHexColor(color) ? color : randomUserColor() };
  } catch {
    return null;
  }
}

export function saveUser(user: UserIdentity, storage: Storage = localStorage): void {
  try {
    storage.setItem(USER_KEY, JSON.stringify(user));
  } catch {
    // Storage disabled: the name lasts for this page only.
  }
}

/** A name to prefill on a first visit, such as `Guest 4821`. */
export function guestName(): string {
  return `Guest ${1000 + Math.floor(Math.random() * 9000)}`;
}
