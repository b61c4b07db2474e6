/**
 * The events API through a real server: events, teams, pads, now/next, schedule, ptgbot import,
 * OpenAPI, live updates over server-sent events, and every error case (401/403/400/404/409/413).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, synced, waitUntil } from '../helpers/clients.js';
import * as Y from 'yjs';
import { ADMIN_TOKEN, admin, api, openSse, writeMarkdown, writePad } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

function expectError(res: { status: number; body: any }, status: number, code?: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: { code: code ?? expect.any(String), message: expect.any(String) } });
}

describe('events API', () => {
  let server: InProcessServer;
  let base: string;

  beforeAll(async () => {
    server = await startInProcess({ ADMIN_TOKEN, UNLOAD_DELAY_MS: '200' });
    base = server.baseUrl;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('PUT creates and updates an event; only with the admin token', async () => {
    const body = {
      name: 'Gazpacho PTG',
      teams: [
        { slug: 'nova', name: 'Nova' },
        { slug: 'cinder', name: 'Cinder' },
      ],
    };
    const none = await api(base, 'PUT', '/api/v1/events/gaz', { body });
    expectError(none, 401, 'unauthorized');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expectError(await api(base, 'PUT', '/api/v1/events/gaz', { body, token: 'wrong' }), 403, 'forbidden');
    expectError(await api(base, 'PUT', '/api/v1/events/gaz', { body, token: `${ADMIN_TOKEN}x` }), 403, 'forbidden');
    expectError(await api(base, 'GET', '/api/v1/events/gaz'), 404, 'not_found');

    const created = await admin(base, 'PUT', '/api/v1/events/gaz', body);
    expect(created.status).toBe(201);
    expect(created.body.teams.map((t: any) => t.pads[0].id)).toEqual(['gaz-nova', 'gaz-cinder']);

    const read = await api(base, 'GET', '/api/v1/events/gaz');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ slug: 'gaz', name: 'Gazpacho PTG', timeZone: 'UTC', url: '/e/gaz' });
    expect(read.body.teams[0]).toMatchObject({
      slug: 'nova',
      name: 'Nova',
      now: null,
      next: [],
      pads: [{ id: 'gaz-nova', main: true, live: 0, url: '/p/gaz-nova' }],
    });

    const updated = await admin(base, 'PUT', '/api/v1/events/GAZ', {
      ...body,
      name: 'Gazpacho',
      rooms: ['Austin'],
      slots: [{ name: 'am', start: '09:00', end: '12:00' }],
      sponsor: 'ACME',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Gazpacho', rooms: ['Austin'], extras: { sponsor: 'ACME' } });
    expect(updated.body.days[0].slots).toEqual([{ name: 'am', start: '09:00', end: '12:00' }]);
  });

  it('rejects invalid slugs, dates, zones and duplicates with 400', async () => {
    const long = 'e'.repeat(60);
    expectError(await admin(base, 'PUT', '/api/v1/events/bad%20slug', { name: 'x' }), 400);
    expectError(await admin(base, 'PUT', '/api/v1/events/ok', { name: 'x', teams: [{ slug: 'Not OK' }] }), 400);
    expectError(await admin(base, 'PUT', `/api/v1/events/${long}`, { name: 'x', teams: [{ slug: 't'.repeat(50) }] }), 400);
    expectError(await admin(base, 'PUT', '/api/v1/events/ok', { name: 'x', timeZone: 'Mars/Olympus' }), 400);
    expectError(await admin(base, 'PUT', '/api/v1/events/ok', { name: 'x', startsOn: '2026-02-30' }), 400);
    expectError(await admin(base, 'PUT', '/api/v1/events/ok', { name: 'x', startsOn: '2026-03-02', endsOn: '2026-03-01' }), 400);
    expectError(await admin(base, 'PUT', '/api/v1/events/ok', { name: 'x', teams: [{ slug: 'a' }, { slug: 'a' }] }), 400);
    expectError(await admin(base, 'PUT', '/api/v1/events/ok', { teams: [] }), 400);
    expectError(await admin(base, 'PUT', '/api/v1/events/ok', undefined), 400);
    expectError(await api(base, 'GET', '/api/v1/events/-bad'), 400);
    expectError(await api(base, 'GET', '/api/v1/events/ok'), 404);
  });

  it('answers 413 for oversized bodies, in the JSON error form', async () => {
    const huge = { name: 'big', extras: { blob: 'x'.repeat(1_100_000) } };
    expectError(await admin(base, 'PUT', '/api/v1/events/big', huge), 413, 'payload_too_large');
    expectError(await admin(base, 'POST', '/api/v1/events/gaz/teams', { slug: 'big', name: 'x'.repeat(70_000) }), 413, 'payload_too_large');
  });

  it('lists current events first, then upcoming, then past', async () => {
    await admin(base, 'PUT', '/api/v1/events/old-ptg', { name: 'Old', startsOn: day(-40), endsOn: day(-38) });
    await admin(base, 'PUT', '/api/v1/events/next-ptg', { name: 'Next', startsOn: day(30), endsOn: day(32) });
    await admin(base, 'PUT', '/api/v1/events/now-ptg', { name: 'Now', startsOn: day(-1), endsOn: day(1) });
    const { status, body } = await api(base, 'GET', '/api/v1/events');
    expect(status).toBe(200);
    const slugs = body.events.map((e: any) => e.slug).filter((s: string) => s.endsWith('-ptg'));
    expect(slugs).toEqual(['now-ptg', 'next-ptg', 'old-ptg']);
    expect(body.events.find((e: any) => e.slug === 'now-ptg')).toMatchObject({ status: 'current', teams: 0, url: '/e/now-ptg' });
  });

  it('teams: create, 409 on a duplicate, read, change, delete', async () => {
    const path = '/api/v1/events/gaz/teams';
    expectError(await api(base, 'POST', path, { body: { slug: 'glance', name: 'Glance' } }), 401);
    const created = await admin(base, 'POST', path, { slug: 'glance', name: 'Glance', color: '#123456' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'glance', color: '#123456', pads: [{ id: 'gaz-glance' }] });
    expectError(await admin(base, 'POST', path, { slug: 'glance', name: 'Again' }), 409, 'conflict');
    expectError(await admin(base, 'POST', '/api/v1/events/nope/teams', { slug: 'glance' }), 404);
    expectError(await admin(base, 'POST', path, { slug: 'Bad Slug' }), 400);
    expectError(await admin(base, 'POST', path, { slug: 'x', color: 'red; background: url(x)' }), 400);
    expectError(await admin(base, 'POST', path, { slug: 'x', padUrl: 'javascript:alert(1)' }), 400);

    const list = await api(base, 'GET', path);
    expect(list.body.teams.map((t: any) => t.slug)).toEqual(['nova', 'cinder', 'glance']);
    const patched = await admin(base, 'PATCH', `${path}/glance`, {
      name: 'Glance (images)',
      padUrl: 'https://etherpad.example.org/p/glance',
    });
    expect(patched.body).toMatchObject({ name: 'Glance (images)', color: '#123456', padUrl: 'https://etherpad.example.org/p/glance' });
    expectError(await api(base, 'PATCH', `${path}/glance`, { body: { name: 'x' } }), 401);
    expectError(await admin(base, 'PATCH', `${path}/nope`, { name: 'x' }), 404);
    expectError(await api(base, 'DELETE', `${path}/glance`), 401);
    expect((await admin(base, 'DELETE', `${path}/glance`)).status).toBe(204);
    expectError(await api(base, 'GET', `${path}/glance`), 404);
    expectError(await admin(base, 'DELETE', `${path}/glance`), 404);
  });

  it('now/next: set by a moderator with the admin token, ptgbot style', async () => {
    const path = '/api/v1/events/gaz/teams/nova/board';
    expectError(await api(base, 'PUT', path, { body: { now: 'x' } }), 401);
    const set = await admin(base, 'PUT', path, { now: 'Unified limits', next: ['2pm: vTPM', '3pm: with #cinder'] });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ now: 'Unified limits', next: ['2pm: vTPM', '3pm: with #cinder'], boardUpdatedAt: expect.any(String) });
    const moved = await admin(base, 'PUT', path, { now: 'vTPM' });
    expect(moved.body).toMatchObject({ now: 'vTPM', next: [] });
    expectError(await admin(base, 'PUT', '/api/v1/events/gaz/teams/nope/board', { now: 'x' }), 404);
    expectError(await admin(base, 'PUT', path, { now: { text: 'x' } }), 400);
    expectError(await admin(base, 'PUT', path, { next: ['x'] }), 400);
  });

  it('pads: anyone adds topic pads and titles; delete is admin-only; live counts and last edit show', async () => {
    const pads = '/api/v1/events/gaz/teams/nova/pads';
    const created = await api(base, 'POST', pads, { body: { topic: 'Placement', title: 'Placement and quotas' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'gaz-nova-placement', title: 'Placement and quotas', main: false, updatedAt: null });
    expect((await api(base, 'POST', pads, { body: { topic: 'placement' } })).status).toBe(200);
    expectError(await api(base, 'POST', pads, { body: { topic: 'no spaces' } }), 400);
    expectError(await api(base, 'POST', '/api/v1/events/gaz/teams/nope/pads', { body: { topic: 'a' } }), 404);

    await writePad(server, 'gaz-nova', ['Nova main notes']);
    await writePad(server, 'gaz-nova-scheduling', ['A pad made by just opening it']);
    const client = connectProvider(server.wsUrl, 'gaz-nova-placement');
    await synced(client);
    try {
      const list = await api(base, 'GET', pads);
      expect(list.body.pads.map((p: any) => p.id)).toEqual(['gaz-nova', 'gaz-nova-placement', 'gaz-nova-scheduling']);
      expect(list.body.pads[0].updatedAt).toEqual(expect.any(String));
      expect(list.body.pads[1]).toMatchObject({ live: 1 });
      expect(list.body.pads[2]).toMatchObject({ live: 0, title: null });

      const titled = await api(base, 'PATCH', `${pads}/gaz-nova-scheduling`, { body: { title: 'Scheduler' } });
      expect(titled.body).toMatchObject({ id: 'gaz-nova-scheduling', title: 'Scheduler' });
      expectError(await api(base, 'PATCH', `${pads}/gaz-cinder`, { body: { title: 'x' } }), 404);
      expectError(await api(base, 'PATCH', `${pads}/bad%20id`, { body: { title: 'x' } }), 400);

      expectError(await api(base, 'DELETE', `${pads}/gaz-nova-scheduling`), 401);
      expectError(await admin(base, 'DELETE', `${pads}/gaz-nova-placement`), 409, 'conflict');
    } finally {
      client.destroy();
    }
    // A pad still in memory (just left) cannot be deleted yet; once unloaded it can.
    if (server.app.rooms.peek('gaz-nova-scheduling')) expectError(await admin(base, 'DELETE', `${pads}/gaz-nova-scheduling`), 409);
    await waitUntil(() => server.app.rooms.peek('gaz-nova-scheduling') === undefined, 'pad unloaded');
    expect((await admin(base, 'DELETE', `${pads}/gaz-nova-scheduling`)).status).toBe(204);
    const after = await api(base, 'GET', pads);
    expect(after.body.pads.map((p: any) => p.id)).not.toContain('gaz-nova-scheduling');
  });

  it('pads: one only opened (an empty line committed) is not edited; the first heading names a pad without a title', async () => {
    const opened = new Y.Doc();
    opened.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
    await server.app.rooms.use('gaz-cinder-opened', (room) => room.applyApiUpdate(Y.encodeStateAsUpdate(opened), 'test'));
    await writeMarkdown(server, 'gaz-cinder', 'Intro line\n\n## Cinder at the PTG\n\n### Backups\n\nkumquat backups\n');
    // Pads not in memory are read in the background: the answer settles within moments.
    const pads = async () =>
      (await api(base, 'GET', '/api/v1/events/gaz/teams/cinder/pads')).body.pads.map((p: any) => [p.id, p.heading, p.updatedAt === null]);
    await expect.poll(pads, { timeout: 10_000 }).toEqual([
      ['gaz-cinder', 'Cinder at the PTG', false],
      ['gaz-cinder-opened', null, true],
    ]);
    expect((await server.app.stores.events.listPads('gaz-cinder-opened'))[0].updatedAt).toEqual(expect.any(Number));
    // Once the pad that was only opened gets text, it is edited, and named by its heading.
    await writeMarkdown(server, 'gaz-cinder-opened', '# Opened, then written\n');
    await expect.poll(pads, { timeout: 10_000 }).toEqual([
      ['gaz-cinder', 'Cinder at the PTG', false],
      ['gaz-cinder-opened', 'Opened, then written', false],
    ]);
    // Search names the pad by its heading too.
    const hits = async () => (await api(base, 'GET', '/api/v1/search?q=kumquat&event=gaz')).body.results;
    await expect.poll(async () => (await hits()).length, { timeout: 10_000 }).toBe(1);
    expect((await hits())[0]).toMatchObject({ padId: 'gaz-cinder', title: null, heading: 'Cinder at the PTG' });
  });

  it('tells which event and team a pad belongs to, the longest team match, or null', async () => {
    await admin(base, 'PUT', '/api/v1/events/pl', {
      name: 'Place PTG',
      teams: [
        { slug: 'nova', name: 'Nova', color: '#0b5394' },
        { slug: 'nova-api', name: 'Nova API' },
      ],
    });
    await admin(base, 'PUT', '/api/v1/events/pl-x', { name: 'Other', teams: [{ slug: 'y', name: 'Y' }] });
    const place = await api(base, 'GET', '/api/v1/pads/pl-nova/event');
    expect(place.status).toBe(200);
    expect(place.body).toEqual({
      event: { slug: 'pl', name: 'Place PTG', url: '/e/pl' },
      team: { slug: 'nova', name: 'Nova', color: '#0b5394' },
    });
    expect((await api(base, 'GET', '/api/v1/pads/PL-Nova-quotas/event')).body.team.slug).toBe('nova');
    expect((await api(base, 'GET', '/api/v1/pads/pl-nova-api-limits/event')).body.team).toMatchObject({
      slug: 'nova-api',
      name: 'Nova API',
    });
    expect((await api(base, 'GET', '/api/v1/pads/pl-x-y/event')).body.event.slug).toBe('pl-x');
    for (const lonely of ['pl-novax', 'lonely-pad']) {
      const none = await api(base, 'GET', `/api/v1/pads/${lonely}/event`);
      expect([none.status, none.body]).toEqual([200, null]);
    }
    // A read-only id is not a pad id here: nothing about the pad it leads to.
    expectError(await api(base, 'GET', '/api/v1/pads/r.abcdefghijklmnopqrstuvwxyz/event'), 400);
  });

  it('schedule: read and replace; bookings must name known rooms, days, slots and teams', async () => {
    const path = '/api/v1/events/gaz/schedule';
    const { body: event } = await api(base, 'GET', '/api/v1/events/gaz');
    const date = event.days[0].date;
    const booking = { room: 'Austin', day: date, slot: 'am', team: 'nova' };
    expectError(await api(base, 'PUT', path, { body: { bookings: [booking] } }), 401);
    const put = await admin(base, 'PUT', path, { bookings: [booking] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ rooms: ['Austin'], days: event.days, bookings: [booking] });
    expect((await api(base, 'GET', path)).body.bookings).toEqual([booking]);
    for (const bad of [{ room: 'Nowhere' }, { day: '1999-01-01' }, { slot: 'pm' }, { team: 'swift' }, { team: 'Bad Slug' }]) {
      expectError(await admin(base, 'PUT', path, { bookings: [{ ...booking, ...bad }] }), 400);
    }
    expectError(await api(base, 'GET', '/api/v1/events/nope/schedule'), 404);
  });

  it('imports a ptgbot JSON file', async () => {
    const sample = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ptgbot-sample.json'), 'utf8'));
    expectError(await api(base, 'POST', '/api/v1/events/gazpacho/import', { body: sample }), 401);
    const res = await admin(base, 'POST', '/api/v1/events/gazpacho/import', sample);
    expect(res.status).toBe(201);
    const e = res.body;
    expect(e).toMatchObject({
      name: '2026.2 Gazpacho PTG',
      startsOn: '2026-10-20',
      endsOn: '2026-10-22',
      rooms: ['Austin', 'Bexar', 'Cactus', 'Diablo', 'Essex'],
    });
    expect(e.teams).toHaveLength(11);
    expect(e.days.map((d: any) => d.label)).toEqual(['Tuesday', 'Wednesday', 'Thursday']);
    expect(e.days[0].slots[0]).toEqual({ name: 'Tue1', start: '13:00', end: '14:00' });
    const team = (slug: string) => e.teams.find((t: any) => t.slug === slug);
    expect(team('tc')).toMatchObject({ padUrl: 'https://etherpad.example.org/p/gazpacho-tc-ptg', color: 'darkgreen' });
    expect(team('oslo').color).toBeNull();
    expect(team('nova')).toMatchObject({
      now: 'Unified limits and quota usage from placement',
      next: expect.arrayContaining([expect.stringContaining('vTPM')]),
    });
    expect(e.bookings.filter((b: any) => b.team === 'nova')).toHaveLength(10);
    expect(e.bookings).toContainEqual({ room: 'Essex', day: '2026-10-20', slot: 'Tue1', team: 'first-contact' });
    expect(e.extras).toMatchObject({ source: 'ptgbot', roomInfo: { Austin: { url: 'https://meet.example.org/ptg-austin' } } });
    // Importing again replaces, it does not duplicate.
    const again = await admin(base, 'POST', '/api/v1/events/gazpacho/import', sample);
    expect(again.status).toBe(200);
    expect(again.body.bookings).toHaveLength(e.bookings.length);

    expectError(await admin(base, 'POST', '/api/v1/events/gazpacho/import', { ...sample, tracks: ['nova'] }), 400);
    expectError(
      await admin(base, 'POST', '/api/v1/events/gazpacho/import', {
        tracks: [],
        slots: { Monday: [{ name: 'm', desc: 'all day' }] },
        startsOn: '2026-01-05',
      }),
      400,
    );
    expectError(await admin(base, 'POST', '/api/v1/events/gazpacho/import', { tracks: 'nova' }), 400);
  });

  it('serves the OpenAPI document and a docs page', async () => {
    const spec = await api(base, 'GET', '/api/v1/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/events',
      '/api/v1/events/{event}',
      '/api/v1/search',
      '/api/v1/events/{event}/teams/{team}/pads',
      '/api/v1/events/{event}/import',
    ]) {
      expect(Object.keys(spec.body.paths)).toContain(path);
    }
    expect(spec.body.paths['/api/v1/events/{event}'].put.requestBody.content['application/json'].schema.properties.teams).toBeDefined();
    expect(Object.keys(spec.body.paths).every((p: string) => p.startsWith('/api/'))).toBe(true);
    const docs = await fetch(`${base}/api/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('pushes live counts and board changes over server-sent events', async () => {
    expect((await fetch(`${base}/api/v1/events/nope/live`)).status).toBe(404);
    const sse = await openSse(`${base}/api/v1/events/gaz/live`);
    try {
      await waitUntil(() => sse.events.some((e) => e.name === 'counts'), 'first counts');
      expect(sse.events.find((e) => e.name === 'event')?.data.slug).toBe('gaz');
      const client = connectProvider(server.wsUrl, 'gaz-cinder');
      await synced(client);
      await waitUntil(() => sse.events.some((e) => e.name === 'counts' && e.data.pads['gaz-cinder'] === 1), 'cinder count 1', 5000);
      client.destroy();
      await waitUntil(
        () => sse.events.at(-1)?.name === 'counts' && sse.events.at(-1)?.data.pads['gaz-cinder'] === 0,
        'cinder count 0',
        5000,
      );
      await admin(base, 'PUT', '/api/v1/events/gaz/teams/cinder/board', { now: 'Backup drivers' });
      await waitUntil(
        () => sse.events.some((e) => e.name === 'event' && e.data.teams.some((t: any) => t.now === 'Backup drivers')),
        'board pushed',
        5000,
      );
    } finally {
      sse.close();
    }
  });

  it('deletes an event (admin)', async () => {
    expectError(await api(base, 'DELETE', '/api/v1/events/old-ptg'), 401);
    expect((await admin(base, 'DELETE', '/api/v1/events/old-ptg')).status).toBe(204);
    expectError(await api(base, 'GET', '/api/v1/events/old-ptg'), 404);
    expectError(await admin(base, 'DELETE', '/api/v1/events/old-ptg'), 404);
  });
});
