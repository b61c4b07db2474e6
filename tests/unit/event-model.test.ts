/** Pure rules of events and search input: pad ownership, zoned times, ptgbot slot times, query words. */
import { describe, expect, it } from 'vitest';
import { zonedTime } from '../../common/schedule.js';
import { eventStatus, teamOfPad } from '../../server/events/event-model.js';
import { parseSlotTimes } from '../../server/events/ptgbot-import.js';
import { searchTerms } from '../../server/search/search-index.js';
import { ftsMatchExpression, parseMarkedSnippet } from '../../server/store/sqlite-search.js';

describe('event model', () => {
  it('gives a pad to the team with the longest matching prefix', () => {
    const teams = ['nova', 'nova-compute', 'cinder'];
    expect(teamOfPad('ptg', teams, 'ptg-nova')).toBe('nova');
    expect(teamOfPad('ptg', teams, 'ptg-nova-placement')).toBe('nova');
    expect(teamOfPad('ptg', teams, 'ptg-nova-compute')).toBe('nova-compute');
    expect(teamOfPad('ptg', teams, 'ptg-nova-compute-cells')).toBe('nova-compute');
    expect(teamOfPad('ptg', teams, 'ptg-novax')).toBeNull();
    expect(teamOfPad('ptg', teams, 'ptg2-nova')).toBeNull();
  });

  it('turns wall-clock times in a zone into UTC instants, across DST', () => {
    expect(zonedTime('2026-11-30', '09:00', 'Europe/Paris').toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(zonedTime('2026-07-01', '09:00', 'Europe/Paris').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(zonedTime('2026-03-29', '12:00', 'Europe/Paris').toISOString()).toBe('2026-03-29T10:00:00.000Z');
    expect(zonedTime('2026-11-30', '09:00', 'America/Los_Angeles').toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(zonedTime('2026-11-30', '23:30', 'UTC').toISOString()).toBe('2026-11-30T23:30:00.000Z');
  });

  it('says whether an event is current, upcoming or past in its own zone', () => {
    const now = Date.parse('2026-11-30T23:30:00Z');
    const e = { startsOn: '2026-12-01', endsOn: '2026-12-03' };
    expect(eventStatus({ ...e, timeZone: 'UTC' }, now)).toBe('upcoming');
    expect(eventStatus({ ...e, timeZone: 'Asia/Tokyo' }, now)).toBe('current');
    expect(eventStatus({ ...e, timeZone: 'UTC' }, Date.parse('2026-12-04T00:00:00Z'))).toBe('past');
  });

  it('reads ptgbot slot descriptions', () => {
    expect(parseSlotTimes('09:00-10:45')).toEqual({ start: '09:00', end: '10:45' });
    expect(parseSlotTimes('13-14 UTC')).toEqual({ start: '13:00', end: '14:00' });
    expect(parseSlotTimes('all day')).toBeNull();
    expect(parseSlotTimes('15-14')).toBeNull();
  });
});

describe('search input', () => {
  it('keeps only words, so query syntax never reaches FTS5', () => {
    expect(searchTerms('"nova" AND (cinder*) NEAR col:umn -x')).toEqual(['nova', 'AND', 'cinder', 'NEAR', 'col', 'umn', 'x']);
    expect(searchTerms('  "*()  ')).toEqual([]);
    expect(searchTerms('café Größe 東京')).toEqual(['café', 'Größe', '東京']);
    expect(ftsMatchExpression(['nova', 'AND', 'plac'], true)).toBe('"nova" "AND" "plac"*');
  });

  it('turns marked snippets into plain text and offsets', () => {
    expect(parseMarkedSnippet('…the \uE000placement\uE001 of \uE000nova\uE001')).toEqual({
      snippet: '…the placement of nova',
      highlights: [
        [5, 14],
        [18, 22],
      ],
    });
  });
});
