/** The access policy's lookups on SQLite: read-only ids and edit keys from the pad store, teams from `event_teams`. */
import type Database from 'better-sqlite3';
import type { AccessLookups } from '../access/access-policy.js';
import type { SqliteStore } from './sqlite-store.js';

export class SqliteAccessLookups implements AccessLookups {
  private readonly teamOfPadStatement: Database.Statement<[string, string], { event: string; slug: string }>;

  constructor(private readonly store: SqliteStore) {
    this.teamOfPadStatement = store.db.prepare(
      // A prefix compared as text: in LIKE, the "_" that slugs may contain matches any character.
      `SELECT event, slug FROM event_teams
        WHERE event || '-' || slug = ? OR substr(?, 1, length(event) + length(slug) + 2) = event || '-' || slug || '-'
        ORDER BY length(event) + length(slug) DESC LIMIT 1`,
    );
  }

  padIdForReadOnlyId(readOnlyId: string): Promise<string | null> {
    return this.store.padIdForReadOnlyId(readOnlyId);
  }

  editKeyHash(scope: string): Promise<string | null> {
    return this.store.editKeyHash(scope);
  }

  async teamOfPad(padId: string): Promise<{ event: string; slug: string } | null> {
    return this.teamOfPadStatement.get(padId, padId) ?? null;
  }
}
