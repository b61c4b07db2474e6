/** The per-team iCal feed, checked with a real iCal parser (ical.js). */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, admin } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((v) => ({ event: new ICAL.Event(v), url: v.getFirstPropertyValue('url') }));
}

describe('iCal feed per team', () => {
  let server: InProcessServer;
  let base: string;

  beforeAll(async () => {
    server = await startInProcess({ ADMIN_TOKEN });
    base = server.baseUrl;
    const res = await admin(base, 'PUT', '/api/v1/events/cal', {
      name: 'Calendar PTG',
      startsOn: '2026-11-30',
      endsOn: '2026-12-01',
      timeZone: 'Europe/Paris',
      rooms: ['Salle A', 'Salle B'],
      slots: [
        { name: 'am', start: '09:00', end: '10:45' },
        { name: 'am2', start: '11:00', end: '12:30' },
        { name: 'pm', start: '14:00', end: '15:30' },
      ],
      teams: [
        { slug: 'nova', name: 'Nova' },
        { slug: 'tc', name: 'TC', padUrl: 'https://etherpad.example.org/p/tc' },
      ],
      bookings: [
        { room: 'Salle A', day: '2026-11-30', slot: 'am', team: 'nova' },
        { room: 'Salle A', day: '2026-11-30', slot: 'am2', team: 'nova' },
        { room: 'Salle A', day: '2026-11-30', slot: 'pm', team: 'nova' },
        { room: 'Salle B', day: '2026-12-01', slot: 'am2', team: 'nova' },
        { room: 'Salle B', day: '2026-12-01', slot: 'pm', team: 'nova' },
        { room: 'Salle A', day: '2026-12-01', slot: 'am', team: 'tc' },
      ],
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists one event per booked block, consecutive slots merged, times in UTC, titled by room, with the pad link', async () => {
    const res = await fetch(`${base}/e/cal/nova.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const events = parse(await res.text()).sort((a, b) => a.event.startDate.toJSDate().getTime() - b.event.startDate.toJSDate().getTime());
    // Paris is UTC+1 in winter. am and am2 (a 15-minute break between them) make one block;
    // pm, after lunch, another.
    expect(
      events.map((e) => [
        e.event.summary,
        e.event.startDate.toJSDate().toISOString(),
        e.event.endDate.toJSDate().toISOString(),
        e.event.location,
      ]),
    ).toEqual([
      ['Nova: room Salle A', '2026-11-30T08:00:00.000Z', '2026-11-30T11:30:00.000Z', 'Salle A'],
      ['Nova: room Salle A', '2026-11-30T13:00:00.000Z', '2026-11-30T14:30:00.000Z', 'Salle A'],
      ['Nova: room Salle B', '2026-12-01T10:00:00.000Z', '2026-12-01T11:30:00.000Z', 'Salle B'],
      ['Nova: room Salle B', '2026-12-01T13:00:00.000Z', '2026-12-01T14:30:00.000Z', 'Salle B'],
    ]);
    expect(events[0].event.description).toContain('Monday 09:00-12:30, room Salle A');
    expect(events[0].event.description).toContain(`Notes: ${base}/p/cal-nova`);
    expect(events[0].url).toBe(`${base}/p/cal-nova`);
    expect(new Set(events.map((e) => e.event.uid)).size).toBe(4);
  });

  it('links to the team own pad URL when it has one', async () => {
    const events = parse(await (await fetch(`${base}/e/cal/tc.ics`)).text());
    expect(events).toHaveLength(1);
    expect(events[0].url).toBe('https://etherpad.example.org/p/tc');
  });

  it('uses PUBLIC_URL for links when set', async () => {
    const other = await startInProcess({ ADMIN_TOKEN, PUBLIC_URL: 'https://pads.example.org/' });
    try {
      await admin(other.baseUrl, 'PUT', '/api/v1/events/cal', {
        name: 'x',
        startsOn: '2026-11-30',
        rooms: ['R'],
        slots: [{ name: 'am', start: '09:00', end: '10:00' }],
        teams: [{ slug: 'nova' }],
        bookings: [{ room: 'R', day: '2026-11-30', slot: 'am', team: 'nova' }],
      });
      const events = parse(await (await fetch(`${other.baseUrl}/e/cal/nova.ics`)).text());
      expect(events[0].url).toBe('https://pads.example.org/p/cal-nova');
      expect(events[0].event.startDate.toJSDate().toISOString()).toBe('2026-11-30T09:00:00.000Z');
    } finally {
      await other.close();
    }
  });

  it('answers unknown teams and events with JSON 404, bad slugs with 400', async () => {
    for (const [path, status] of [
      ['/e/cal/swift.ics', 404],
      ['/e/nope/nova.ics', 404],
      ['/e/cal/nova.txt', 404],
      ['/e/cal/Bad%20Team.ics', 400],
    ] as const) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(status);
      expect(await res.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });
});
