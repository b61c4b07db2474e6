/** The EventStore on PostgreSQL: events, event_teams, event_bookings and pad_titles (as `sqlite-events.ts`). */
import type pg from 'pg';
import type { BookingT } from '../../../common/event-schemas.js';
import type { EventRecord, EventStore, PadListing, TeamRecord } from '../../events/event-store.js';
import { TEAM_COLUMNS, toEvent, toTeam, type EventRow, type TeamRow } from '../event-rows.js';
import { transaction, type Queryable } from './pg-pool.js';

export class PgEventStore implements EventStore {
  constructor(private readonly pool: pg.Pool) {}

  async listEvents(): Promise<(EventRecord & { teamCount: number })[]> {
    const { rows } = await this.pool.query<EventRow & { team_count: number }>(
      `SELECT e.*, (SELECT count(*) FROM event_teams t WHERE t.event = e.slug)::int AS team_count FROM events e ORDER BY starts_on, slug`,
    );
    return rows.map((row) => ({ ...toEvent(row), teamCount: row.team_count }));
  }

  async getEvent(slug: string): Promise<EventRecord | null> {
    const { rows } = await this.pool.query<EventRow>('SELECT * FROM events WHERE slug = $1', [slug]);
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async getTeams(event: string): Promise<TeamRecord[]> {
    return (await this.teamRows(this.pool, event)).map(toTeam);
  }

  async getTeam(event: string, slug: string): Promise<TeamRecord | null> {
    const { rows } = await this.pool.query<TeamRow>(`SELECT ${TEAM_COLUMNS} FROM event_teams WHERE event = $1 AND slug = $2`, [
      event,
      slug,
    ]);
    return rows[0] ? toTeam(rows[0]) : null;
  }

  async getBookings(event: string): Promise<BookingT[]> {
    const { rows } = await this.pool.query<BookingT>(
      'SELECT room, day, slot, team FROM event_bookings WHERE event = $1 ORDER BY day, slot, room',
      [event],
    );
    return rows;
  }

  async saveEvent(event: EventRecord, teams: TeamRecord[] | null, bookings: BookingT[] | null): Promise<boolean> {
    return transaction(this.pool, async (db) => {
      const { rows } = await db.query<{ created: boolean }>(
        `INSERT INTO events (slug, name, starts_on, ends_on, time_zone, rooms, days, extras, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name, starts_on = excluded.starts_on, ends_on = excluded.ends_on,
           time_zone = excluded.time_zone, rooms = excluded.rooms, days = excluded.days, extras = excluded.extras,
           updated_at = excluded.updated_at
         RETURNING (xmax = 0) AS created`,
        [
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
        ],
      );
      if (teams) {
        const keep = teams.map((t) => t.slug);
        await db.query('DELETE FROM event_teams WHERE event = $1 AND NOT (slug = ANY($2::text[]))', [event.slug, keep]);
        for (const [position, team] of teams.entries()) {
          await this.insertTeamRow(db, event.slug, team);
          await this.updateTeamRow(db, event.slug, team, position);
        }
      }
      if (bookings) await this.replaceBookingRows(db, event.slug, bookings);
      return rows[0].created;
    });
  }

  async deleteEvent(slug: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM events WHERE slug = $1', [slug])).rowCount ?? 0) > 0;
  }

  async insertTeam(event: string, team: TeamRecord): Promise<boolean> {
    return transaction(this.pool, async (db) => {
      // Serialise position assignment per event.
      await db.query('SELECT 1 FROM events WHERE slug = $1 FOR UPDATE', [event]);
      return this.insertTeamRow(db, event, team);
    });
  }

  async updateTeam(event: string, team: TeamRecord): Promise<void> {
    await this.updateTeamRow(this.pool, event, team, null);
  }

  async deleteTeam(event: string, slug: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM event_teams WHERE event = $1 AND slug = $2', [event, slug])).rowCount ?? 0) > 0;
  }

  async replaceBookings(event: string, bookings: BookingT[]): Promise<void> {
    await transaction(this.pool, (db) => this.replaceBookingRows(db, event, bookings));
  }

  async listPads(prefix: string): Promise<PadListing[]> {
    const [stored, titled, forked] = await Promise.all([
      this.pool.query<{ id: string; updated_at: number }>('SELECT id, updated_at FROM pads WHERE starts_with(id, $1) ORDER BY id', [
        prefix,
      ]),
      this.pool.query<{ pad_id: string; title: string }>(
        'SELECT pad_id, title FROM pad_titles WHERE starts_with(pad_id, $1) ORDER BY pad_id',
        [prefix],
      ),
      this.pool.query<{ pad_id: string; forked_from: string; forked_rev: number }>(
        'SELECT pad_id, forked_from, forked_rev FROM pad_forks WHERE starts_with(pad_id, $1)',
        [prefix],
      ),
    ]);
    const byId = new Map<string, PadListing>();
    for (const row of stored.rows) byId.set(row.id, { id: row.id, title: null, updatedAt: row.updated_at, forkOf: null });
    for (const row of titled.rows) {
      const title = row.title === '' ? null : row.title;
      const known = byId.get(row.pad_id);
      if (known) known.title = title;
      else byId.set(row.pad_id, { id: row.pad_id, title, updatedAt: null, forkOf: null });
    }
    for (const row of forked.rows) {
      const known = byId.get(row.pad_id);
      if (known) known.forkOf = { padId: row.forked_from, rev: Number(row.forked_rev) };
    }
    return Array.from(byId.values()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async setPadTitle(padId: string, title: string | null): Promise<void> {
    const now = Date.now();
    if (title === null) {
      await this.pool.query(
        `INSERT INTO pad_titles (pad_id, title, created_at, updated_at) VALUES ($1, '', $2, $2) ON CONFLICT (pad_id) DO NOTHING`,
        [padId, now],
      );
    } else {
      await this.pool.query(
        `INSERT INTO pad_titles (pad_id, title, created_at, updated_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (pad_id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at`,
        [padId, title, now],
      );
    }
  }

  async deletePad(padId: string): Promise<boolean> {
    return transaction(this.pool, async (db) => {
      const titled = ((await db.query('DELETE FROM pad_titles WHERE pad_id = $1', [padId])).rowCount ?? 0) > 0;
      const stored = ((await db.query('DELETE FROM pads WHERE id = $1', [padId])).rowCount ?? 0) > 0;
      return titled || stored;
    });
  }

  private async teamRows(db: Queryable, event: string): Promise<TeamRow[]> {
    return (await db.query<TeamRow>(`SELECT ${TEAM_COLUMNS} FROM event_teams WHERE event = $1 ORDER BY position, slug`, [event])).rows;
  }

  private async insertTeamRow(db: Queryable, event: string, t: TeamRecord): Promise<boolean> {
    const result = await db.query(
      `INSERT INTO event_teams (event, slug, name, color, pad_url, now_text, next_json, board_updated_at, position)
       SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::bigint, coalesce(max(position) + 1, 0)
       FROM event_teams WHERE event = $1
       ON CONFLICT (event, slug) DO NOTHING`,
      [event, t.slug, t.name, t.color, t.padUrl, t.now, JSON.stringify(t.next), t.boardUpdatedAt],
    );
    return (result.rowCount ?? 0) > 0;
  }

  private async updateTeamRow(db: Queryable, event: string, t: TeamRecord, position: number | null): Promise<void> {
    await db.query(
      `UPDATE event_teams SET name = $1, color = $2, pad_url = $3, now_text = $4, next_json = $5, board_updated_at = $6,
         position = coalesce($7::int, position) WHERE event = $8 AND slug = $9`,
      [t.name, t.color, t.padUrl, t.now, JSON.stringify(t.next), t.boardUpdatedAt, position, event, t.slug],
    );
  }

  private async replaceBookingRows(db: Queryable, event: string, bookings: BookingT[]): Promise<void> {
    await db.query('DELETE FROM event_bookings WHERE event = $1', [event]);
    // Last booking of a slot wins, as with SQLite's INSERT OR REPLACE.
    const bySlot = new Map(bookings.map((b) => [`${b.room}\u0000${b.day}\u0000${b.slot}`, b]));
    bookings = Array.from(bySlot.values());
    if (bookings.length === 0) return;
    await db.query(
      `INSERT INTO event_bookings (event, room, day, slot, team)
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])`,
      [event, bookings.map((b) => b.room), bookings.map((b) => b.day), bookings.map((b) => b.slot), bookings.map((b) => b.team)],
    );
  }
}
