/**
 * Who may do what with a pad. The server decides from the request, never from the client's
 * claims: a read-only id (`r.…`) always gives a viewer; a pad id gives an editor unless the
 * pad, its team or its event has an edit key and the request does not present it, in which
 * case the caller may still read.
 */
import { PAD_ID_RULES, normalizePadId } from '../../common/pad-id.js';
import { DeniedReason } from '../../common/protocol.js';
import { editKeyMatches, eventScope, padScope, teamScope } from './edit-keys.js';
import { normalizeReadOnlyId } from './read-only-id.js';

export type Role = 'viewer' | 'editor';

export type Access =
  | { ok: true; padId: string; role: Role; viaReadOnlyId: boolean; notice: string | null }
  | { ok: false; status: 400 | 404; code: string; message: string };

/** What the policy reads from storage (server/store/sqlite-access.ts, server/store/postgres/pg-pad-store.ts). */
export interface AccessLookups {
  padIdForReadOnlyId(readOnlyId: string): Promise<string | null>;
  editKeyHash(scope: string): Promise<string | null>;
  /** The team whose pads `padId` belongs to (`<event>-<team>` or `<event>-<team>-...`), longest match. */
  teamOfPad(padId: string): Promise<{ event: string; slug: string } | null>;
}

export class AccessPolicy {
  constructor(private readonly store: AccessLookups) {}

  /** Resolves a pad id or read-only id from a path, with the role `token` gives. */
  async resolve(segment: string, token: string | null): Promise<Access> {
    const readOnlyId = normalizeReadOnlyId(segment);
    if (readOnlyId) {
      const padId = await this.store.padIdForReadOnlyId(readOnlyId);
      if (!padId) return { ok: false, status: 404, code: 'pad_not_found', message: 'This read-only link does not lead to a pad.' };
      return { ok: true, padId, role: 'viewer', viaReadOnlyId: true, notice: DeniedReason.readOnlyLink };
    }
    const padId = normalizePadId(segment);
    if (!padId) {
      return {
        ok: false,
        status: 400,
        code: 'invalid_pad_id',
        message: PAD_ID_RULES,
      };
    }
    const keyHashes = await this.keyHashes(padId);
    if (keyHashes.length === 0) return { ok: true, padId, role: 'editor', viaReadOnlyId: false, notice: null };
    if (token !== null && keyHashes.some((hash) => editKeyMatches(token, hash))) {
      return { ok: true, padId, role: 'editor', viaReadOnlyId: false, notice: null };
    }
    const notice = token === null ? DeniedReason.needsEditKey : DeniedReason.wrongEditKey;
    return { ok: true, padId, role: 'viewer', viaReadOnlyId: false, notice };
  }

  /** True if `token` may write to `padId` (no key set, or a matching key). */
  async canWrite(padId: string, token: string | null): Promise<boolean> {
    const keyHashes = await this.keyHashes(padId);
    return keyHashes.length === 0 || (token !== null && keyHashes.some((hash) => editKeyMatches(token, hash)));
  }

  /** The scopes whose keys guard `padId`: the pad itself, its team, its event. */
  async scopesOf(padId: string): Promise<string[]> {
    const scopes = [padScope(padId)];
    const team = await this.store.teamOfPad(padId);
    if (team) scopes.push(teamScope(team.event, team.slug), eventScope(team.event));
    return scopes;
  }

  private async keyHashes(padId: string): Promise<string[]> {
    const hashes: string[] = [];
    for (const scope of await this.scopesOf(padId)) {
      const hash = await this.store.editKeyHash(scope);
      if (hash) hashes.push(hash);
    }
    return hashes;
  }
}
