/**
 * What others see of an author: a public id, random and unrelated to the author id. The author
 * id is the value of the author's HttpOnly cookie, so whoever learns it can write as that
 * author (their name, their Yjs client ids); it used to be published in revisions and
 * authorship. Public ids are given on first need and stored, so they stay the same, and
 * authors of data stored before them get theirs the first time they are shown. The ids the
 * server itself uses for writes without a cookie (`api`) or of its own (`system`) are not
 * secret and are shown as they are; so are the ids of authors imported from Etherpad
 * (`ep.…`, etherpad/authors.ts), which no cookie can hold and which name who wrote in the old
 * pad.
 */
import { randomBytes } from 'node:crypto';
import { isImportedAuthorId } from '../etherpad/authors.js';

const NOT_SECRET = new Set(['api', 'system']);

export function newPublicAuthorId(): string {
  return `p.${randomBytes(12).toString('base64url')}`;
}

/** True for author ids that are shown as they are. */
export function isPublicAuthorId(author: string): boolean {
  return NOT_SECRET.has(author) || isImportedAuthorId(author);
}

/**
 * Public ids already known, in memory (they never change). Bounded: at most `max` entries,
 * the oldest forgotten first.
 */
export class PublicIdCache {
  private readonly known = new Map<string, string>();
  constructor(private readonly max = 20_000) {}

  get(author: string): string | undefined {
    return isPublicAuthorId(author) ? author : this.known.get(author);
  }

  set(author: string, publicId: string): void {
    this.known.set(author, publicId);
    if (this.known.size > this.max) this.known.delete(this.known.keys().next().value as string);
  }
}
