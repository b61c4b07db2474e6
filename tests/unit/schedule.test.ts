/** Schedule times: booked blocks (consecutive slots merged), where a team is now and next, what is on. */
import { describe, expect, it } from 'vitest';
import type { BookingT, DayT } from '../../common/event-schemas.js';
import { blockLabel, nextChange, sessionBlocks, slotAt, teamWhereabouts } from '../../common/schedule.js';

const slots = [
  { name: 'a', start: '09:00', end: '10:45' },
  { name: 'b', start: '11:00', end: '12:30' },
  { name: 'c', start: '14:00', end: '15:30' },
  { name: 'd', start: '15:30', end: '17:00' },
];
const days: DayT[] = [
  { date: '2026-04-14', slots },
  { date: '2026-04-15', slots: [...slots].reverse() },
];
const book = (day: string, slot: string, room: string, team: string): BookingT => ({ day, slot, room, team });
const bookings = [
  book('2026-04-14', 'a', 'Bexar', 'nova'),
  book('2026-04-14', 'b', 'Bexar', 'nova'),
  book('2026-04-14', 'c', 'Bexar', 'nova'),
  book('2026-04-14', 'd', 'Bexar', 'nova'),
  book('2026-04-14', 'a', 'Austin', 'cinder'),
  book('2026-04-14', 'c', 'Austin', 'cinder'),
  book('2026-04-15', 'c', 'Austin', 'nova'),
  book('2026-04-15', 'd', 'Austin', 'nova'),
  book('2026-04-15', 'a', 'Bexar', 'nova'),
];
const brief = (b: ReturnType<typeof sessionBlocks>[number]) => `${b.team} ${b.day} ${b.start}-${b.end} ${b.room} [${b.slots.join(',')}]`;

describe('session blocks', () => {
  it("merges a team's consecutive slots in one room across short breaks, not across lunch or rooms", () => {
    expect(sessionBlocks(days, bookings, 'Europe/Paris').map(brief)).toEqual([
      'cinder 2026-04-14 09:00-10:45 Austin [a]',
      'nova 2026-04-14 09:00-12:30 Bexar [a,b]',
      'cinder 2026-04-14 14:00-15:30 Austin [c]',
      'nova 2026-04-14 14:00-17:00 Bexar [c,d]',
      'nova 2026-04-15 09:00-10:45 Bexar [a]',
      'nova 2026-04-15 14:00-17:00 Austin [c,d]',
    ]);
  });

  it('turns wall-clock times into instants in the event time zone', () => {
    const [first] = sessionBlocks(days, bookings, 'Europe/Paris');
    expect(new Date(first.startsAt).toISOString()).toBe('2026-04-14T07:00:00.000Z');
    expect(new Date(first.endsAt).toISOString()).toBe('2026-04-14T08:45:00.000Z');
  });

  it('skips bookings of days or slots the event does not have', () => {
    expect(sessionBlocks(days, [book('2026-05-01', 'a', 'Bexar', 'nova'), book('2026-04-14', 'zz', 'Bexar', 'nova')], 'UTC')).toEqual([]);
  });

  it('names a block by weekday, times and room', () => {
    expect(blockLabel({ day: '2026-04-14', start: '14:00', end: '17:00', room: 'Bexar' })).toBe('Tuesday 14:00-17:00, room Bexar');
  });
});

describe('now and next', () => {
  const blocks = sessionBlocks(days, bookings, 'UTC');
  const at = (iso: string) => Date.parse(iso);

  it('says where a team is and where it goes next', () => {
    const during = teamWhereabouts(blocks, 'nova', at('2026-04-14T11:30:00Z'));
    expect(during.now && brief(during.now)).toBe('nova 2026-04-14 09:00-12:30 Bexar [a,b]');
    expect(during.next && brief(during.next)).toBe('nova 2026-04-14 14:00-17:00 Bexar [c,d]');
    const lunch = teamWhereabouts(blocks, 'nova', at('2026-04-14T13:00:00Z'));
    expect(lunch.now).toBeNull();
    expect(lunch.next?.start).toBe('14:00');
    expect(teamWhereabouts(blocks, 'cinder', at('2026-04-16T00:00:00Z'))).toEqual({ now: null, next: null });
  });

  it('finds the running slot and the next change', () => {
    expect(slotAt(days, 'UTC', at('2026-04-14T10:00:00Z'))).toEqual({ day: '2026-04-14', slot: 'a' });
    expect(slotAt(days, 'UTC', at('2026-04-14T10:50:00Z'))).toBeNull();
    expect(new Date(nextChange(days, 'UTC', at('2026-04-14T10:50:00Z')) ?? 0).toISOString()).toBe('2026-04-14T11:00:00.000Z');
    expect(new Date(nextChange(days, 'UTC', at('2026-04-14T11:00:00Z')) ?? 0).toISOString()).toBe('2026-04-14T12:30:00.000Z');
    expect(nextChange(days, 'UTC', at('2026-04-16T00:00:00Z'))).toBeNull();
  });
});
