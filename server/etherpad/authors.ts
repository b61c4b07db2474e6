/**
 * The one place where Etherpad author ids and ours meet.
 *
 * - Imported authors get stored ids `ep.<a.id>` (an admin's import: the same Etherpad person
 *   across pads) or `ep.<padId>/<a.id>` (an editor's import into one pad: it names nobody
 *   outside that pad). Etherpad author ids were never secret (every pad's changesets carry
 *   them); ours for browsers are the `gp_author` cookie, which no stored `ep.` id can be
 *   (the cookie's form has no `/` and is 22 characters after `a.`).
 * - Etherpad's own revisions (author '') are `api` here, as API writes are.
 * - Where our authors are shown the Etherpad way (the compatible API, .etherpad exports), each
 *   gets `a.` + 16 characters of a one-way hash: never the stored id itself, which for a browser
 *   is its cookie. `ep.` ids show their original Etherpad id.
 */
import { createHash } from 'node:crypto';

/** Who imports: an admin (authors shared across pads) or an editor of one pad. */
export type ImportScope = { kind: 'admin' } | { kind: 'pad'; padId: string };

const ETHERPAD_AUTHOR = /^a\.[A-Za-z0-9]{1,64}$/;
const IMPORTED_PREFIX = 'ep.';
/** Our id for Etherpad's server-made revisions. */
export const SYSTEM_AUTHOR = 'api';

/** Our stored author id for an Etherpad author id as found in an export. */
export function importedAuthorId(etherpadId: string, scope: ImportScope): string {
  if (etherpadId === '') return SYSTEM_AUTHOR;
  const id = ETHERPAD_AUTHOR.test(etherpadId) ? etherpadId : `a.x${hash(etherpadId).slice(0, 15)}`;
  return scope.kind === 'admin' ? `${IMPORTED_PREFIX}${id}` : `${IMPORTED_PREFIX}${scope.padId}/${id}`;
}

/** True for the stored ids of imported Etherpad authors: never a browser's cookie, so not secret. */
export function isImportedAuthorId(stored: string): boolean {
  return stored.startsWith(IMPORTED_PREFIX);
}

/** The Etherpad-style id (`a.…`, or '' for the system) under which one of our authors is shown. */
export function etherpadAuthorId(stored: string): string {
  if (stored === SYSTEM_AUTHOR) return '';
  if (stored.startsWith(IMPORTED_PREFIX)) {
    const original = stored.slice(stored.lastIndexOf('/') + 1).replace(/^ep\./, '');
    if (ETHERPAD_AUTHOR.test(original)) return original;
  }
  return `a.${hash(`gatherpad-author\u0000${stored}`).slice(0, 16)}`;
}

/** The stored id an admin import gives an Etherpad author id (for look-ups by that id). */
export function storedIdForEtherpadId(etherpadId: string): string | null {
  return ETHERPAD_AUTHOR.test(etherpadId) ? `${IMPORTED_PREFIX}${etherpadId}` : null;
}

/** Base62 of SHA-256: letters and digits only, as Etherpad's ids use. */
function hash(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (const byte of digest) out += alphabet[byte % 62];
  return out;
}

/** Our colours for Etherpad's palette indices (its own palette is not ours to copy); CSS colours are kept. */
const PALETTE = [
  '#e03131',
  '#e8590c',
  '#f59f00',
  '#66a80f',
  '#2f9e44',
  '#0c8599',
  '#1c7ed6',
  '#4263eb',
  '#7048e8',
  '#ae3ec9',
  '#d6336c',
  '#a0522d',
];

export function authorColor(colorId: number | string | null, fallbackSeed: string): string {
  if (typeof colorId === 'string' && /^#[0-9a-f]{6}$/i.test(colorId)) return colorId.toLowerCase();
  if (typeof colorId === 'string' && /^#[0-9a-f]{3}$/i.test(colorId))
    return `#${Array.from(colorId.slice(1), (c) => c + c).join('')}`.toLowerCase();
  if (typeof colorId === 'number' && Number.isInteger(colorId) && colorId >= 0) return PALETTE[colorId % PALETTE.length];
  return PALETTE[hash(fallbackSeed).charCodeAt(0) % PALETTE.length];
}
