/**
 * Full-text search over pads' plain text, behind one interface, answered by SQLite FTS5
 * (server/store/sqlite-search.ts) or PostgreSQL full text (`tsvector`, `ts_rank`, `ts_headline`:
 * server/store/postgres/pg-search.ts).
 */

export interface SearchQuery {
  /** Words to find, already split by `searchTerms`: every one must match (AND). */
  terms: readonly string[];
  /** Also match words that start with the last term (search as you type). */
  prefixLast: boolean;
  /** Only pads whose id starts with this (e.g. `<event>-`); null for all pads. */
  padIdPrefix: string | null;
  /** Most hits to return, best first. */
  limit: number;
}

export interface SearchHit {
  padId: string;
  /** Plain text around the best match; never markup. */
  snippet: string;
  /** `[start, end)` UTF-16 offsets of the matched words in `snippet`. */
  highlights: [number, number][];
  /** Lower is better (bm25 convention). */
  score: number;
}

export interface SearchIndex {
  /** Replaces what is indexed for `padId` with `text`. */
  index(padId: string, text: string): Promise<void>;
  remove(padId: string): Promise<void>;
  search(query: SearchQuery): Promise<SearchHit[]>;
  /** Pads changed since they were last indexed (or never indexed), at most `limit`. */
  stalePads(limit: number): Promise<string[]>;
}

/**
 * The words of a user's query: runs of letters, digits and marks. Everything else (quotes,
 * `*`, parentheses, `:`, `-`) separates words, and operators such as AND/OR/NOT/NEAR become
 * plain words once a backend quotes them, so no input is query syntax.
 */
export function searchTerms(q: string): string[] {
  const words = q.normalize('NFKC').match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  return words.slice(0, 16).map((w) => w.slice(0, 64));
}
