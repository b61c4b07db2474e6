/**
 * Reads a ptgbot-style JSON file (the IRC bot's `base.json` / database: `tracks`, `slots` per
 * day name, `schedule` per room mapping slot names to tracks, optional `colors`, `etherpads`
 * overrides, `now`, `next`) into an EventInput. Days are dated in the order they appear,
 * starting on `startsOn` (or the first slot's `realtime`).
 */
import { Type, type Static } from 'typebox';
import { SLUG_REGEXP, type BookingT, type DayT, type EventInputT, type TeamInputT } from '../../common/event-schemas.js';
import { ApiError } from '../errors.js';
import { daysFromTemplate } from './event-model.js';

export const PtgbotSlot = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    desc: Type.Optional(Type.String({ maxLength: 100 })),
    realtime: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: true },
);
export const PtgbotImport = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'event name; default: eventid or the slug' })),
    eventid: Type.Optional(Type.String({ maxLength: 200 })),
    startsOn: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'date of the first day' })),
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
    tracks: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 500 }),
    slots: Type.Record(Type.String({ maxLength: 40 }), Type.Array(PtgbotSlot, { maxItems: 48 })),
    schedule: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Record(Type.String(), Type.Unknown()))),
    colors: Type.Optional(Type.Record(Type.String(), Type.String())),
    etherpads: Type.Optional(Type.Record(Type.String(), Type.String())),
    now: Type.Optional(Type.Record(Type.String(), Type.String())),
    next: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  },
  { additionalProperties: true },
);
export type PtgbotImportT = Static<typeof PtgbotImport>;

const COLOR = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30})$/;

/** "09:00-10:45", "9-10:30", "13-14 UTC" -> start and end as HH:MM. */
export function parseSlotTimes(desc: string): { start: string; end: string } | null {
  const m = /(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?/.exec(desc);
  if (!m) return null;
  const hhmm = (h: string, mm: string | undefined) =>
    Number(h) > 23 || Number(mm ?? 0) > 59 ? null : `${h.padStart(2, '0')}:${mm ?? '00'}`;
  const start = hhmm(m[1], m[2]);
  const end = hhmm(m[3], m[4]);
  return start && end && end > start ? { start, end } : null;
}

export function ptgbotToEventInput(slug: string, data: PtgbotImportT): EventInputT {
  const dayNames = Object.keys(data.slots);
  if (dayNames.length === 0) throw new ApiError('badRequest', 'The file has no slots: ptgbot lists them per day under "slots".');
  const realtime = data.slots[dayNames[0]][0]?.realtime;
  const startsOn = data.startsOn ?? (realtime && /^\d{4}-\d{2}-\d{2}/.test(realtime) ? realtime.slice(0, 10) : null);
  if (!startsOn) throw new ApiError('badRequest', 'Give "startsOn" (YYYY-MM-DD), the date of the first day in "slots".');
  const dates = daysFromTemplate(startsOn, '9999-12-31', [])
    .slice(0, dayNames.length)
    .map((d) => d.date);
  if (dates.length < dayNames.length) throw new ApiError('badRequest', 'The file has more days than an event can have.');

  const dayOfSlot = new Map<string, string>();
  const days: DayT[] = dayNames.map((label, i) => ({
    date: dates[i],
    label,
    slots: data.slots[label].map((slot) => {
      const times = parseSlotTimes(slot.desc ?? '');
      if (!times)
        throw new ApiError('badRequest', `Slot "${slot.name}" on ${label} has no readable time range in "desc" (e.g. "09:00-10:45").`);
      dayOfSlot.set(slot.name, dates[i]);
      return { name: slot.name, ...times };
    }),
  }));

  const trackSlug = (track: string): string => {
    const slug = track.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
    if (!SLUG_REGEXP.test(slug))
      throw new ApiError('badRequest', `Track "${track.slice(0, 60)}" cannot be a team slug: use letters, digits, "-" and "_".`);
    return slug;
  };
  const teams: TeamInputT[] = data.tracks.map((track) => {
    const color = data.colors?.[track];
    const pad = data.etherpads?.[track];
    return {
      slug: trackSlug(track),
      name: track,
      color: color && COLOR.test(color) ? color : null,
      padUrl: pad && /^https?:\/\//.test(pad) ? pad.slice(0, 500) : null,
      now: data.now?.[track]?.slice(0, 500) ?? null,
      next: (data.next?.[track] ?? []).slice(0, 20).map((n) => n.slice(0, 500)),
    };
  });
  const known = new Set(teams.map((t) => t.slug));

  const rooms = Object.keys(data.schedule ?? {});
  const roomInfo: Record<string, Record<string, unknown>> = {};
  const bookings: BookingT[] = [];
  for (const room of rooms) {
    for (const [key, value] of Object.entries(data.schedule?.[room] ?? {})) {
      const day = dayOfSlot.get(key);
      if (!day) {
        (roomInfo[room] ??= {})[key] = value;
        continue;
      }
      if (typeof value !== 'string' || value.trim() === '') continue;
      const team = trackSlug(value);
      if (!known.has(team)) throw new ApiError('badRequest', `Room "${room}" books "${value}" in ${key}, which is not in "tracks".`);
      bookings.push({ room, day, slot: key, team });
    }
  }
  return {
    name: data.name ?? data.eventid ?? slug,
    startsOn,
    endsOn: dates[dates.length - 1],
    timeZone: data.timeZone ?? 'UTC',
    rooms,
    days,
    teams,
    bookings,
    extras: { source: 'ptgbot', ...(data.eventid ? { eventid: data.eventid } : {}), ...(Object.keys(roomInfo).length ? { roomInfo } : {}) },
  };
}
