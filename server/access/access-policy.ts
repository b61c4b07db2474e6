/**
 * Who may do what with a pad. The server decides from the request, never from the client's
 * claims: a read-only id (`r.…`) always gives a viewer; a pad id gives an editor unless the
 * pad, its team or its event has an edit key and the request does not present it, in which
 * case the caller may still read.
 */
import type Database from 'better-sqlite3';
import { normalizePadId } from '../../common/pad-id.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { editKeyMatches, eventScope, padScope, teamScope } from './edit-keys.js';
import { normalizeReadOnlyId } from './read-only-id.js';

export type Role = 'viewer' | 'editor';

export type Access =
  | { ok: true; padId: string; role: Role; viaReadOnlyId: boolean; notice: string | null }
  | { ok: false; status: 400 | 404; code: string; message: string };

export class AccessPolicy {
  private readonly teamOfPad: Database.Statement<[string, string], { event: string; slug: string }>;

  constructor(private readonly store: SqliteStore) {
    this.teamOfPad = store.db.prepare(
      `SELECT event, slug FROM event_teams
        WHERE event || '-' || slug = ? OR ? LIKE event || '-' || slug || '-%'
        ORDER BY length(event) + length(slug) DESC LIMIT 1`,
    );
  }

  /** Resolves a pad id or read-only id from a path, with the role `token` gives. */
  async resolve(segment: string, token: string | null): Promise<Access> {
    const readOnlyId = normalizeReadOnlyId(segment);
    if (readOnlyId) {
      const padId = await this.store.padIdForReadOnlyId(readOnlyId);
      if (!padId) return { ok: false, status: 404, code: 'pad_not_found', message: 'This read-only link does not lead to a pad.' };
      return { ok: true, padId, role: 'viewer', viaReadOnlyId: true, notice: 'This is a read-only link.' };
    }
    const padId = normalizePadId(segment);
    if (!padId) {
      return {
        ok: false,
        status: 400,
        code: 'invalid_pad_id',
        message: 'Pad ids are 1-100 characters: letters, digits, "-" and "_", starting with a letter or digit.',
      };
    }
    const keyHashes = await this.keyHashes(padId);
    if (keyHashes.length === 0) return { ok: true, padId, role: 'editor', viaReadOnlyId: false, notice: null };
    if (token !== null && keyHashes.some((hash) => editKeyMatches(token, hash))) {
      return { ok: true, padId, role: 'editor', viaReadOnlyId: false, notice: null };
    }
    const notice = token === null ? 'This pad needs an edit key to make changes.' : 'That edit key is not correct for this pad.';
    return { ok: true, padId, role: 'viewer', viaReadOnlyId: false, notice };
  }

  /** True if `token` may write to `padId` (no key set, or a matching key). */
  async canWrite(padId: string, token: string | null): Promise<boolean> {
    const keyHashes = await this.keyHashes(padId);
    return keyHashes.length === 0 || (token !== null && keyHashes.some((hash) => editKeyMatches(token, hash)));
  }

  /** The scopes whose keys guard `padId`: the pad itself, its team, its event. */
  scopesOf(padId: string): string[] {
    const scopes = [padScope(padId)];
    const team = this.teamOfPad.get(padId, padId);
    if (team) scopes.push(teamScope(team.event, team.slug), eventScope(team.event));
    return scopes;
  }

  private async keyHashes(padId: string): Promise<string[]> {
    const hashes: string[] = [];
    for (const scope of this.scopesOf(padId)) {
      const hash = await this.store.editKeyHash(scope);
      if (hash) hashes.push(hash);
    }
    return hashes;
  }
}
