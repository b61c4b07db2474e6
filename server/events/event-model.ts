/**
 * Pure rules of events: slugs and pad ids, the days of an event, checking bookings, which team
 * a pad belongs to, and whether an event is current, upcoming or past. No I/O.
 */
import { isPadId } from '../../common/pad-id.js';
import { dateIn } from '../../common/schedule.js';
import { SLUG_REGEXP, type BookingT, type DayT, type SlotT } from '../../common/event-schemas.js';
import { ApiError } from '../errors.js';

/** Longest event, in days (bounds generated schedules). */
export const MAX_EVENT_DAYS = 31;

/** A slug from a URL path segment: ASCII-lowercased, then checked. Throws 400. */
export function slugParam(raw: string, what: 'event' | 'team'): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = raw;
  }
  const slug = decoded.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (!SLUG_REGEXP.test(slug)) {
    throw new ApiError(
      'badRequest',
      `"${raw.slice(0, 80)}" is not a valid ${what} slug: use 1-60 lowercase letters, digits, "-" and "_", starting with a letter or digit.`,
    );
  }
  return slug;
}

/** The main pad of a team, `<event>-<team>`; 400 if that is not a valid pad id (too long). */
export function mainPadId(event: string, team: string): string {
  const padId = `${event}-${team}`;
  if (!isPadId(padId)) {
    throw new ApiError('badRequest', `"${event}" and "${team}" make the pad id "${padId}", which is longer than 100 characters.`);
  }
  return padId;
}

/**
 * The team a pad belongs to: the team with the longest slug such that the pad is
 * `<event>-<team>` or starts with `<event>-<team>-`. Null if none.
 */
export function teamOfPad(event: string, teamSlugs: readonly string[], padId: string): string | null {
  let best: string | null = null;
  for (const team of teamSlugs) {
    const main = `${event}-${team}`;
    if ((padId === main || padId.startsWith(`${main}-`)) && (best === null || team.length > best.length)) best = team;
  }
  return best;
}

const DAY_MS = 86_400_000;
const parseDate = (date: string) => Date.parse(`${date}T00:00:00Z`);
const formatDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function isValidDate(date: string): boolean {
  const ms = parseDate(date);
  return Number.isFinite(ms) && formatDate(ms) === date;
}

export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ApiError('badRequest', `"${timeZone.slice(0, 64)}" is not a time zone: use an IANA name such as "UTC" or "Europe/Paris".`);
  }
}

/** Every date from `startsOn` to `endsOn` inclusive, each with the same slots. */
export function daysFromTemplate(startsOn: string, endsOn: string, slots: SlotT[]): DayT[] {
  const days: DayT[] = [];
  for (let ms = parseDate(startsOn); ms <= parseDate(endsOn) && days.length < MAX_EVENT_DAYS; ms += DAY_MS) {
    days.push({ date: formatDate(ms), slots: slots.map((s) => ({ ...s })) });
  }
  return days;
}

export function checkDates(startsOn: string, endsOn: string): void {
  if (!isValidDate(startsOn) || !isValidDate(endsOn)) throw new ApiError('badRequest', 'Dates must be real days written YYYY-MM-DD.');
  if (endsOn < startsOn) throw new ApiError('badRequest', `The event ends (${endsOn}) before it starts (${startsOn}).`);
  if ((parseDate(endsOn) - parseDate(startsOn)) / DAY_MS >= MAX_EVENT_DAYS) {
    throw new ApiError('badRequest', `An event lasts at most ${MAX_EVENT_DAYS} days.`);
  }
}

export function checkDays(days: DayT[]): void {
  const seen = new Set<string>();
  for (const day of days) {
    if (!isValidDate(day.date)) throw new ApiError('badRequest', `"${day.date}" is not a real day.`);
    if (seen.has(day.date)) throw new ApiError('badRequest', `The day ${day.date} is listed twice.`);
    seen.add(day.date);
    const names = new Set<string>();
    for (const slot of day.slots) {
      if (names.has(slot.name)) throw new ApiError('badRequest', `Slot "${slot.name}" is listed twice on ${day.date}.`);
      if (slot.end <= slot.start) throw new ApiError('badRequest', `Slot "${slot.name}" on ${day.date} ends before it starts.`);
      names.add(slot.name);
    }
  }
}

/** 400 unless every booking names a known room, day, slot of that day and team. */
export function checkBookings(bookings: BookingT[], rooms: string[], days: DayT[], teams: readonly string[]): void {
  const roomSet = new Set(rooms);
  const teamSet = new Set(teams);
  const slotsByDay = new Map(days.map((d) => [d.date, new Set(d.slots.map((s) => s.name))]));
  for (const b of bookings) {
    if (!roomSet.has(b.room)) throw new ApiError('badRequest', `Booking in unknown room "${b.room}".`);
    const slots = slotsByDay.get(b.day);
    if (!slots) throw new ApiError('badRequest', `Booking on ${b.day}, which is not a day of the event.`);
    if (!slots.has(b.slot)) throw new ApiError('badRequest', `Booking in unknown slot "${b.slot}" on ${b.day}.`);
    if (!teamSet.has(b.team)) throw new ApiError('badRequest', `Booking for unknown team "${b.team}".`);
  }
}

export function eventStatus(e: { startsOn: string; endsOn: string; timeZone: string }, now = Date.now()): 'current' | 'upcoming' | 'past' {
  const today = dateIn(e.timeZone, now);
  if (today < e.startsOn) return 'upcoming';
  if (today > e.endsOn) return 'past';
  return 'current';
}
