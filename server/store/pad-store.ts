/**
 * What the server needs from a pad store beyond the sync log: pad metadata, read-only ids,
 * edit keys and author profiles. `SqliteStore` and `PgPadStore` implement it.
 */
import type { AuthorProfile, SyncStore } from '../sync/types.js';
import type { PadRow } from './sqlite-store.js';

export type { PadRow };

export interface PadStore extends SyncStore {
  getPad(padId: string): Promise<PadRow | null>;
  /**
   * Creates an empty pad (with its read-only id) if there is none, for callers that create pads
   * on purpose (the Etherpad API's createPad); otherwise a pad's first update creates it.
   */
  createPad(padId: string): Promise<void>;
  readOnlyIdOf(padId: string): Promise<string | null>;
  padIdForReadOnlyId(readOnlyId: string): Promise<string | null>;
  /**
   * Synchronous form for Fastify's `rewriteUrl`: the pad id, null if there is none, or
   * undefined when the answer needs a query (a networked store answers from its cache only).
   */
  padIdForReadOnlyIdNow(readOnlyId: string): string | null | undefined;
  /** The hash of the edit key for a scope (`pad:<id>`, `team:<event>/<team>`, `event:<event>`). */
  editKeyHash(scope: string): Promise<string | null>;
  setEditKeyHash(scope: string, keyHash: string | null): Promise<void>;
  /** Records the latest name and colour an author used. */
  saveAuthor(author: string, profile: AuthorProfile): Promise<void>;
  getAuthors(ids: readonly string[]): Promise<Map<string, AuthorProfile>>;
  /**
   * The public id of each author (public-author-id.ts): random, given on first ask and kept.
   * Author ids themselves are the secret in people's cookies and are never shown to anyone.
   */
  publicAuthorIds(ids: readonly string[]): Promise<Map<string, string>>;
}
