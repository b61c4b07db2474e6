/**
 * The events tables' rows as both stores read them (SQLite and PostgreSQL use the same column
 * names and JSON-in-text columns), and their mapping to the EventStore records.
 */
import type { EventRecord, TeamRecord } from '../events/event-store.js';

export const TEAM_COLUMNS = 'slug, name, color, pad_url, now_text, next_json, board_updated_at';

export interface EventRow {
  slug: string;
  name: string;
  starts_on: string;
  ends_on: string;
  time_zone: string;
  rooms: string;
  days: string;
  extras: string;
  created_at: number;
  updated_at: number;
}

export interface TeamRow {
  slug: string;
  name: string;
  color: string | null;
  pad_url: string | null;
  now_text: string | null;
  next_json: string;
  board_updated_at: number | null;
}

export const toEvent = (row: EventRow): EventRecord => ({
  slug: row.slug,
  name: row.name,
  startsOn: row.starts_on,
  endsOn: row.ends_on,
  timeZone: row.time_zone,
  rooms: JSON.parse(row.rooms) as string[],
  days: JSON.parse(row.days) as EventRecord['days'],
  extras: JSON.parse(row.extras) as Record<string, unknown>,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toTeam = (row: TeamRow): TeamRecord => ({
  slug: row.slug,
  name: row.name,
  color: row.color,
  padUrl: row.pad_url,
  now: row.now_text,
  next: JSON.parse(row.next_json) as string[],
  boardUpdatedAt: row.board_updated_at,
});
