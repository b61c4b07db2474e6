/**
 * What the events feature needs from storage: events, teams, bookings and pad titles, implemented
 * on SQLite (server/store/sqlite-events.ts) and PostgreSQL (server/store/postgres/pg-events.ts).
 * Every method is async so a networked database fits the same contract.
 */
import type { BookingT, DayT } from '../../common/event-schemas.js';

export interface EventRecord {
  slug: string;
  name: string;
  startsOn: string;
  endsOn: string;
  timeZone: string;
  rooms: string[];
  days: DayT[];
  extras: Record<string, unknown>;
  /** ms since the epoch. */
  createdAt: number;
  updatedAt: number;
}

export interface TeamRecord {
  slug: string;
  name: string;
  color: string | null;
  padUrl: string | null;
  now: string | null;
  next: string[];
  /** When now/next last changed, ms since the epoch. */
  boardUpdatedAt: number | null;
}

/** A pad whose id starts with a prefix: a stored pad, a titled pad, or both. */
export interface PadListing {
  id: string;
  title: string | null;
  /** Last committed edit, ms since the epoch; null if the pad was never written. */
  updatedAt: number | null;
  /** The pad and revision it was forked from (history's fork record), or null. */
  forkOf: { padId: string; rev: number } | null;
}

export interface EventStore {
  listEvents(): Promise<(EventRecord & { teamCount: number })[]>;
  getEvent(slug: string): Promise<EventRecord | null>;
  /** Teams in their display order. */
  getTeams(event: string): Promise<TeamRecord[]>;
  getTeam(event: string, slug: string): Promise<TeamRecord | null>;
  getBookings(event: string): Promise<BookingT[]>;
  /**
   * Writes the event in one transaction. `teams`, when given, becomes the team list (teams
   * not in it are removed with their bookings); `bookings`, when given, replaces the schedule.
   * Returns true if the event was created.
   */
  saveEvent(event: EventRecord, teams: TeamRecord[] | null, bookings: BookingT[] | null): Promise<boolean>;
  deleteEvent(slug: string): Promise<boolean>;
  /** Adds a team at the end; false if the slug is taken. */
  insertTeam(event: string, team: TeamRecord): Promise<boolean>;
  updateTeam(event: string, team: TeamRecord): Promise<void>;
  deleteTeam(event: string, slug: string): Promise<boolean>;
  replaceBookings(event: string, bookings: BookingT[]): Promise<void>;
  /** Pads (stored or titled) whose id starts with `prefix`, in id order, with their fork records. */
  listPads(prefix: string): Promise<PadListing[]>;
  /** Creates the title record if missing; with `title` null only ensures the record exists. */
  setPadTitle(padId: string, title: string | null): Promise<void>;
  /** Deletes a pad's stored content and its title. False if neither existed. */
  deletePad(padId: string): Promise<boolean>;
}
