/** The EventStore on SQLite: tables from migration 10 (events, event_teams, event_bookings, pad_titles). */
import type Database from 'better-sqlite3';
import type { BookingT } from '../../common/event-schemas.js';
import type { EventRecord, EventStore, PadListing, TeamRecord } from '../events/event-store.js';
import { TEAM_COLUMNS, toEvent, toTeam, type EventRow, type TeamRow } from './event-rows.js';
import { PAD_PROGRESS_COLUMNS } from './sqlite-store.js';
import type { UpdateJournal } from './update-journal.js';

/** Pad ids are ASCII `[a-z0-9._-]`: every id that starts with `prefix` sorts below `prefix + DEL`. */
const upperBound = (prefix: string) => `${prefix}\u007f`;

export class SqliteEventStore implements EventStore {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly journal: Pick<UpdateJournal, 'progress' | 'settle'>,
  ) {
    const teamColumns = TEAM_COLUMNS;
    this.s = {
      listEvents: db.prepare<[], EventRow & { team_count: number }>(
        `SELECT e.*, (SELECT count(*) FROM event_teams t WHERE t.event = e.slug) AS team_count FROM events e ORDER BY starts_on, slug`,
      ),
      event: db.prepare<[string], EventRow>('SELECT * FROM events WHERE slug = ?'),
      upsertEvent: db.prepare<[string, string, string, string, string, string, string, string, number, number]>(
        `INSERT INTO events (slug, name, starts_on, ends_on, time_zone, rooms, days, extras, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name, starts_on = excluded.starts_on, ends_on = excluded.ends_on,
           time_zone = excluded.time_zone, rooms = excluded.rooms, days = excluded.days, extras = excluded.extras,
           updated_at = excluded.updated_at`,
      ),
      deleteEvent: db.prepare<[string]>('DELETE FROM events WHERE slug = ?'),
      teams: db.prepare<[string], TeamRow>(`SELECT ${teamColumns} FROM event_teams WHERE event = ? ORDER BY position, slug`),
      team: db.prepare<[string, string], TeamRow>(`SELECT ${teamColumns} FROM event_teams WHERE event = ? AND slug = ?`),
      insertTeam: db.prepare<[string, string, string, string | null, string | null, string | null, string, number | null, string]>(
        `INSERT INTO event_teams (event, slug, name, color, pad_url, now_text, next_json, board_updated_at, position)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, coalesce(max(position) + 1, 0) FROM event_teams WHERE event = ?
         ON CONFLICT (event, slug) DO NOTHING`,
      ),
      updateTeam: db.prepare<[string, string | null, string | null, string | null, string, number | null, number | null, string, string]>(
        `UPDATE event_teams SET name = ?, color = ?, pad_url = ?, now_text = ?, next_json = ?, board_updated_at = ?,
           position = coalesce(?, position) WHERE event = ? AND slug = ?`,
      ),
      deleteTeam: db.prepare<[string, string]>('DELETE FROM event_teams WHERE event = ? AND slug = ?'),
      bookings: db.prepare<[string], BookingT>('SELECT room, day, slot, team FROM event_bookings WHERE event = ? ORDER BY day, slot, room'),
      deleteBookings: db.prepare<[string]>('DELETE FROM event_bookings WHERE event = ?'),
      insertBooking: db.prepare<[string, string, string, string, string]>(
        'INSERT OR REPLACE INTO event_bookings (event, room, day, slot, team) VALUES (?, ?, ?, ?, ?)',
      ),
      storedPads: db.prepare<[string, string], { id: string; updated_at: number }>(
        `SELECT p.id, ${PAD_PROGRESS_COLUMNS} FROM pads p WHERE p.id >= ? AND p.id < ? ORDER BY p.id`,
      ),
      titledPads: db.prepare<[string, string], { pad_id: string; title: string }>(
        'SELECT pad_id, title FROM pad_titles WHERE pad_id >= ? AND pad_id < ? ORDER BY pad_id',
      ),
      forkedPads: db.prepare<[string, string], { pad_id: string; forked_from: string; forked_rev: number }>(
        'SELECT pad_id, forked_from, forked_rev FROM pad_forks WHERE pad_id >= ? AND pad_id < ?',
      ),
      setTitle: db.prepare<[string, string, number, number]>(
        `INSERT INTO pad_titles (pad_id, title, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (pad_id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at`,
      ),
      ensureTitle: db.prepare<[string, number, number]>(
        `INSERT INTO pad_titles (pad_id, title, created_at, updated_at) VALUES (?, '', ?, ?) ON CONFLICT (pad_id) DO NOTHING`,
      ),
      deleteTitle: db.prepare<[string]>('DELETE FROM pad_titles WHERE pad_id = ?'),
      deleteStoredPad: db.prepare<[string]>('DELETE FROM pads WHERE id = ?'),
    };
  }

  async listEvents(): Promise<(EventRecord & { teamCount: number })[]> {
    return this.s.listEvents.all().map((row) => ({ ...toEvent(row), teamCount: row.team_count }));
  }

  async getEvent(slug: string): Promise<EventRecord | null> {
    const row = this.s.event.get(slug);
    return row ? toEvent(row) : null;
  }

  async getTeams(event: string): Promise<TeamRecord[]> {
    return this.s.teams.all(event).map(toTeam);
  }

  async getTeam(event: string, slug: string): Promise<TeamRecord | null> {
    const row = this.s.team.get(event, slug);
    return row ? toTeam(row) : null;
  }

  async getBookings(event: string): Promise<BookingT[]> {
    return this.s.bookings.all(event);
  }

  async saveEvent(event: EventRecord, teams: TeamRecord[] | null, bookings: BookingT[] | null): Promise<boolean> {
    return this.db.transaction(() => {
      const created = !this.s.event.get(event.slug);
      this.s.upsertEvent.run(
        event.slug,
        event.name,
        event.startsOn,
        event.endsOn,
        event.timeZone,
        JSON.stringify(event.rooms),
        JSON.stringify(event.days),
        JSON.stringify(event.extras),
        event.createdAt,
        event.updatedAt,
      );
      if (teams) {
        const keep = new Set(teams.map((t) => t.slug));
        for (const old of this.s.teams.all(event.slug)) if (!keep.has(old.slug)) this.s.deleteTeam.run(event.slug, old.slug);
        teams.forEach((team, position) => {
          this.insertTeamRow(event.slug, team);
          this.updateTeamRow(event.slug, team, position);
        });
      }
      if (bookings) this.replaceBookingRows(event.slug, bookings);
      return created;
    })();
  }

  async deleteEvent(slug: string): Promise<boolean> {
    return this.s.deleteEvent.run(slug).changes > 0;
  }

  async insertTeam(event: string, team: TeamRecord): Promise<boolean> {
    return this.insertTeamRow(event, team);
  }

  async updateTeam(event: string, team: TeamRecord): Promise<void> {
    this.updateTeamRow(event, team, null);
  }

  async deleteTeam(event: string, slug: string): Promise<boolean> {
    return this.s.deleteTeam.run(event, slug).changes > 0;
  }

  async replaceBookings(event: string, bookings: BookingT[]): Promise<void> {
    this.db.transaction(() => this.replaceBookingRows(event, bookings))();
  }

  async listPads(prefix: string): Promise<PadListing[]> {
    const byId = new Map<string, PadListing>();
    for (const row of this.s.storedPads.all(prefix, upperBound(prefix))) {
      const waiting = this.journal.progress(row.id);
      byId.set(row.id, { id: row.id, title: null, updatedAt: Math.max(row.updated_at, waiting?.lastTime ?? 0), forkOf: null });
    }
    for (const row of this.s.titledPads.all(prefix, upperBound(prefix))) {
      const title = row.title === '' ? null : row.title;
      const known = byId.get(row.pad_id);
      if (known) known.title = title;
      else byId.set(row.pad_id, { id: row.pad_id, title, updatedAt: null, forkOf: null });
    }
    for (const row of this.s.forkedPads.all(prefix, upperBound(prefix))) {
      const known = byId.get(row.pad_id);
      if (known) known.forkOf = { padId: row.forked_from, rev: row.forked_rev };
    }
    return Array.from(byId.values()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async setPadTitle(padId: string, title: string | null): Promise<void> {
    const now = Date.now();
    if (title === null) this.s.ensureTitle.run(padId, now, now);
    else this.s.setTitle.run(padId, title, now, now);
  }

  async deletePad(padId: string): Promise<boolean> {
    // Its journal rows go with it (cascade) and nothing of it stays waiting.
    this.journal.settle(padId);
    return this.db.transaction(() => {
      const titled = this.s.deleteTitle.run(padId).changes > 0;
      const stored = this.s.deleteStoredPad.run(padId).changes > 0;
      return titled || stored;
    })();
  }

  private insertTeamRow(event: string, t: TeamRecord): boolean {
    const result = this.s.insertTeam.run(event, t.slug, t.name, t.color, t.padUrl, t.now, JSON.stringify(t.next), t.boardUpdatedAt, event);
    return result.changes > 0;
  }

  private updateTeamRow(event: string, t: TeamRecord, position: number | null): void {
    this.s.updateTeam.run(t.name, t.color, t.padUrl, t.now, JSON.stringify(t.next), t.boardUpdatedAt, position, event, t.slug);
  }

  private replaceBookingRows(event: string, bookings: BookingT[]): void {
    this.s.deleteBookings.run(event);
    for (const b of bookings) this.s.insertBooking.run(event, b.room, b.day, b.slot, b.team);
  }
}
