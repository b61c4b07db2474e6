/**
 * Times of an event's schedule, for both sides: wall-clock slot times in the event's time zone
 * as instants, a team's booked blocks (consecutive slots in one room merged), and what is on at
 * a given instant. Pure (Intl only): the event page marks "now" with it, the server builds
 * calendars and by-session recaps with it.
 */
import type { BookingT, DayT } from './event-schemas.js';

/**
 * Two booked slots of a team in the same room on the same day form one block when the second
 * starts at most this long after the first ends (a coffee break, not lunch), ms.
 */
export const MAX_BREAK_IN_BLOCK_MS = 30 * 60_000;

/**
 * The UTC instant of a wall-clock time in `timeZone` (e.g. 2026-11-30 09:00 in Europe/Paris).
 * Right except inside a DST gap, where it lands an hour off, like most calendar tools.
 */
export function zonedTime(date: string, time: string, timeZone: string): Date {
  const guess = Date.parse(`${date}T${time}:00Z`);
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(ms);
    const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - ms;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

/** One stretch of time a team holds a room: one booked slot, or consecutive ones merged. */
export interface SessionBlock {
  team: string;
  room: string;
  /** YYYY-MM-DD, in the event's time zone. */
  day: string;
  /** HH:MM wall-clock times in the event's time zone. */
  start: string;
  end: string;
  /** Names of the slots merged into the block, in order. */
  slots: string[];
  /** Unix ms. */
  startsAt: number;
  endsAt: number;
}

/**
 * Every booked block, in time order then room order: each booking becomes a block, and a block
 * grows by the team's booking of the next slot in the same room when that slot starts within
 * MAX_BREAK_IN_BLOCK_MS of the block's end. Bookings of unknown days or slots are skipped.
 */
export function sessionBlocks(days: readonly DayT[], bookings: readonly BookingT[], timeZone: string): SessionBlock[] {
  const byDay = new Map(days.map((d) => [d.date, d]));
  const booked = new Map<string, string>();
  for (const b of bookings) booked.set(`${b.day}|${b.slot}|${b.room}`, b.team);
  const rooms = Array.from(new Set(bookings.map((b) => b.room)));
  const blocks: SessionBlock[] = [];
  for (const date of Array.from(new Set(bookings.map((b) => b.day))).sort()) {
    const day = byDay.get(date);
    if (!day) continue;
    const slots = [...day.slots].sort((a, b) => a.start.localeCompare(b.start));
    for (const room of rooms) {
      let open: SessionBlock | null = null;
      for (const slot of slots) {
        const team = booked.get(`${date}|${slot.name}|${room}`);
        const startsAt = zonedTime(date, slot.start, timeZone).getTime();
        const endsAt = zonedTime(date, slot.end, timeZone).getTime();
        if (open && team === open.team && startsAt - open.endsAt <= MAX_BREAK_IN_BLOCK_MS) {
          open.end = slot.end;
          open.endsAt = Math.max(open.endsAt, endsAt);
          open.slots.push(slot.name);
          continue;
        }
        open =
          team === undefined ? null : { team, room, day: date, start: slot.start, end: slot.end, slots: [slot.name], startsAt, endsAt };
        if (open) blocks.push(open);
      }
    }
  }
  return blocks.sort((a, b) => a.startsAt - b.startsAt || a.room.localeCompare(b.room));
}

/** Where a team is at `now`: the block it is in (if any) and its next block (if any). */
export function teamWhereabouts(
  blocks: readonly SessionBlock[],
  team: string,
  now: number,
): { now: SessionBlock | null; next: SessionBlock | null } {
  const own = blocks.filter((b) => b.team === team);
  return {
    now: own.find((b) => b.startsAt <= now && now < b.endsAt) ?? null,
    next: own.find((b) => b.startsAt > now) ?? null,
  };
}

/** The slot of `day` running at `now`, or null. */
export function slotAt(days: readonly DayT[], timeZone: string, now: number): { day: string; slot: string } | null {
  for (const day of days) {
    for (const slot of day.slots) {
      if (zonedTime(day.date, slot.start, timeZone).getTime() <= now && now < zonedTime(day.date, slot.end, timeZone).getTime()) {
        return { day: day.date, slot: slot.name };
      }
    }
  }
  return null;
}

/**
 * The next instant after `now` at which what is on changes (a slot starts or ends), or null
 * when no slot of the event starts or ends later.
 */
export function nextChange(days: readonly DayT[], timeZone: string, now: number): number | null {
  let best: number | null = null;
  for (const day of days) {
    for (const slot of day.slots) {
      for (const time of [slot.start, slot.end]) {
        const at = zonedTime(day.date, time, timeZone).getTime();
        if (at > now && (best === null || at < best)) best = at;
      }
    }
  }
  return best;
}

/** The date (YYYY-MM-DD) in `timeZone` at `now`. */
export function dateIn(timeZone: string, now = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' });

/** "Tuesday" for a date (YYYY-MM-DD). */
export function weekday(date: string): string {
  return WEEKDAY.format(Date.parse(`${date}T00:00:00Z`));
}

/** "Tuesday 14:00-16:00, room Bexar": how recaps and calendars name a block. */
export function blockLabel(block: Pick<SessionBlock, 'day' | 'start' | 'end' | 'room'>): string {
  return `${weekday(block.day)} ${block.start}-${block.end}, room ${block.room}`;
}
