/**
 * The SearchIndex on SQLite FTS5 (migration 11): `search_text` holds each pad's plain text under
 * the rowid that `search_pads` assigns to its pad id. Ranked with bm25; snippets come from FTS5's
 * snippet() with private-use markers that are turned into highlight offsets, so no markup ever
 * reaches a client.
 */
import type Database from 'better-sqlite3';
import type { SearchHit, SearchIndex, SearchQuery } from '../search/search-index.js';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKERS = /[\uE000\uE001]/g;
/** Tokens in a snippet (FTS5 caps it at 64). */
const SNIPPET_TOKENS = 16;

/** An FTS5 MATCH expression where every term is a quoted string: no operator can sneak in. */
export function ftsMatchExpression(terms: readonly string[], prefixLast: boolean): string {
  return terms.map((term, i) => `"${term.replace(/"/g, '""')}"${prefixLast && i === terms.length - 1 ? '*' : ''}`).join(' ');
}

/** Splits a marked snippet into plain text and the offsets of the marked runs. */
export function parseMarkedSnippet(marked: string): { snippet: string; highlights: [number, number][] } {
  let snippet = '';
  const highlights: [number, number][] = [];
  let start = -1;
  for (const ch of marked) {
    if (ch === OPEN) start = snippet.length;
    else if (ch === CLOSE) {
      if (start >= 0 && snippet.length > start) highlights.push([start, snippet.length]);
      start = -1;
    } else snippet += ch;
  }
  return { snippet, highlights };
}

export class SqliteSearchIndex implements SearchIndex {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      rowid: db.prepare<[string], { rowid: number }>('SELECT rowid FROM search_pads WHERE pad_id = ?'),
      insertPad: db.prepare<[string, number]>('INSERT INTO search_pads (pad_id, indexed_at) VALUES (?, ?)'),
      touchPad: db.prepare<[number, number]>('UPDATE search_pads SET indexed_at = ? WHERE rowid = ?'),
      deletePad: db.prepare<[number]>('DELETE FROM search_pads WHERE rowid = ?'),
      deleteText: db.prepare<[number]>('DELETE FROM search_text WHERE rowid = ?'),
      insertText: db.prepare<[number, string]>('INSERT INTO search_text (rowid, body) VALUES (?, ?)'),
      search: db.prepare<[string, string, string, string, string, number], { pad_id: string; marked: string; score: number }>(
        `SELECT s.pad_id, snippet(search_text, 0, ?, ?, '…', ${SNIPPET_TOKENS}) AS marked, bm25(search_text) AS score
         FROM search_text JOIN search_pads s ON s.rowid = search_text.rowid
         WHERE search_text MATCH ? AND s.pad_id >= ? AND s.pad_id < ?
         ORDER BY score LIMIT ?`,
      ),
      stale: db.prepare<[number], { id: string }>(
        `SELECT p.id FROM pads p LEFT JOIN search_pads s ON s.pad_id = p.id
         WHERE s.pad_id IS NULL OR s.indexed_at < p.updated_at LIMIT ?`,
      ),
    };
  }

  async index(padId: string, text: string): Promise<void> {
    const body = text.replace(MARKERS, '');
    this.db.transaction(() => {
      const now = Date.now();
      const known = this.s.rowid.get(padId);
      let rowid: number;
      if (known) {
        rowid = known.rowid;
        this.s.touchPad.run(now, rowid);
        this.s.deleteText.run(rowid);
      } else {
        rowid = Number(this.s.insertPad.run(padId, now).lastInsertRowid);
      }
      this.s.insertText.run(rowid, body);
    })();
  }

  async remove(padId: string): Promise<void> {
    this.db.transaction(() => {
      const known = this.s.rowid.get(padId);
      if (!known) return;
      this.s.deleteText.run(known.rowid);
      this.s.deletePad.run(known.rowid);
    })();
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.terms.length === 0 || query.limit <= 0) return [];
    const prefix = query.padIdPrefix ?? '';
    const rows = this.s.search.all(OPEN, CLOSE, ftsMatchExpression(query.terms, query.prefixLast), prefix, `${prefix}\u007f`, query.limit);
    return rows.map((row) => ({ padId: row.pad_id, score: row.score, ...parseMarkedSnippet(row.marked) }));
  }

  async stalePads(limit: number): Promise<string[]> {
    return this.s.stale.all(limit).map((row) => row.id);
  }
}
