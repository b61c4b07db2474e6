/**
 * The SearchIndex on PostgreSQL full text: each pad's plain text and its `tsvector` (text search
 * configuration `gatherpad`: the simple dictionary, accents folded) in `search_pads`, ranked
 * with `ts_rank`, snippets from `ts_headline` with private-use markers turned into highlight
 * offsets (as the SQLite version does). Every query term is quoted into the `tsquery`, so no
 * input is query syntax.
 */
import type pg from 'pg';
import type { SearchHit, SearchIndex, SearchQuery } from '../../search/search-index.js';
import { parseMarkedSnippet } from '../sqlite-search.js';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKERS = /[\uE000\uE001]/g;
const HEADLINE_OPTIONS = `StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter=" … "`;

/** A `to_tsquery` input where every term is a quoted lexeme: `'a' & 'b':*`. */
export function tsQueryExpression(terms: readonly string[], prefixLast: boolean): string {
  return terms
    .map((term, i) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${prefixLast && i === terms.length - 1 ? ':*' : ''}`)
    .join(' & ');
}

export class PgSearchIndex implements SearchIndex {
  constructor(private readonly pool: pg.Pool) {}

  async index(padId: string, text: string): Promise<void> {
    const body = text.replace(MARKERS, '').replace(/\u0000/g, '');
    await this.pool.query(
      `INSERT INTO search_pads (pad_id, indexed_at, body, tsv) VALUES ($1, $2, $3, to_tsvector('gatherpad', $3))
       ON CONFLICT (pad_id) DO UPDATE SET indexed_at = excluded.indexed_at, body = excluded.body, tsv = excluded.tsv`,
      [padId, Date.now(), body],
    );
  }

  async remove(padId: string): Promise<void> {
    await this.pool.query('DELETE FROM search_pads WHERE pad_id = $1', [padId]);
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.terms.length === 0 || query.limit <= 0) return [];
    const { rows } = await this.pool.query<{ pad_id: string; marked: string; rank: number }>(
      `WITH q AS (SELECT to_tsquery('gatherpad', $1) AS query),
       top AS (
         SELECT s.pad_id, s.body, ts_rank(s.tsv, q.query) AS rank, q.query
         FROM search_pads s, q
         WHERE s.tsv @@ q.query AND starts_with(s.pad_id, $2)
         ORDER BY rank DESC, s.pad_id LIMIT $3
       )
       SELECT pad_id, ts_headline('gatherpad', body, query, $4) AS marked, rank FROM top ORDER BY rank DESC, pad_id`,
      [tsQueryExpression(query.terms, query.prefixLast), query.padIdPrefix ?? '', query.limit, HEADLINE_OPTIONS],
    );
    return rows.map((row) => ({ padId: row.pad_id, score: -row.rank, ...parseMarkedSnippet(row.marked) }));
  }

  async stalePads(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT p.id FROM pads p LEFT JOIN search_pads s ON s.pad_id = p.id
       WHERE s.pad_id IS NULL OR s.indexed_at < p.updated_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }
}
