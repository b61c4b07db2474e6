/**
 * Etherpad pad names and our pad ids. Etherpad names are case-sensitive and allow almost any
 * character; ours are lowercase `[a-z0-9._-]` (common/pad-id.ts). `padIdsForNames` gives every
 * name of an Etherpad instance a pad id, the same one each time for the same set of names:
 *
 * - a name that is a valid id after lowercasing keeps that id (`Nova-2027.1-PTG` ->
 *   `nova-2027.1-ptg`);
 * - any other name is transliterated (accents dropped, other characters become `-`):
 *   `diseño plan` -> `diseno-plan`;
 * - when several names arrive at the same id, the one that is already exactly that id keeps it,
 *   then a case-only variant, then the rest in code-unit order; the others get `-` + six
 *   characters of a hash of their name.
 *
 * Names whose id differs from the name are reported by the importer and redirect
 * (`/p/<name>` -> `/p/<id>`, a stored alias).
 */
import { createHash } from 'node:crypto';
import { isPadId } from '../../common/pad-id.js';

const MAX_ID = 100;
const SUFFIX = 7;

/** The id a name asks for, before collisions are settled, and how far it had to be changed. */
function candidate(name: string): { id: string; rank: number } {
  const lower = name.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (lower === name && isPadId(name)) return { id: name, rank: 0 };
  if (isPadId(lower)) return { id: lower, rank: 1 };
  let id = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+/, '')
    .replace(/-{2,}/g, '-')
    .slice(0, MAX_ID - SUFFIX)
    .replace(/[-.]+$/, '');
  if (id === '') id = 'pad';
  if (!isPadId(id)) id = `pad-${id}`.slice(0, MAX_ID - SUFFIX);
  return { id, rank: 2 };
}

function suffixed(id: string, name: string): string {
  const hash = createHash('sha256')
    .update(name)
    .digest('hex')
    .slice(0, SUFFIX - 1);
  return `${id.slice(0, MAX_ID - SUFFIX)}-${hash}`;
}

/** A pad id for each Etherpad name (a Map in the order given); see the header for the rules. */
export function padIdsForNames(names: readonly string[]): Map<string, string> {
  const groups = new Map<string, { name: string; rank: number }[]>();
  for (const name of new Set(names)) {
    const { id, rank } = candidate(name);
    const group = groups.get(id);
    if (group) group.push({ name, rank });
    else groups.set(id, [{ name, rank }]);
  }
  const taken = new Set(groups.keys());
  const ids = new Map<string, string>();
  for (const [id, group] of groups) {
    group.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    ids.set(group[0].name, id);
    for (const { name } of group.slice(1)) {
      let other = suffixed(id, name);
      for (let salt = 1; taken.has(other) && salt < 100; salt += 1) other = suffixed(id, `${name}\u0000${salt}`);
      taken.add(other);
      ids.set(name, other);
    }
  }
  return new Map(names.map((name) => [name, ids.get(name) as string]));
}
