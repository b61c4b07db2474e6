/**
 * Recaps through a real server (pads written through its API path, tests/helpers/events.ts):
 * an event's recap as markdown, text and JSON (whole and per team), a fork made through the
 * history API listed but left out, notes grouped by the sessions in which they were written
 * (the server's clock faked for Date only, so each write is committed at a chosen time into the
 * real SQLite log), open items carried forward from earlier events, and the errors bad input gets.
 *
 * With RECAP_SAMPLE_DIR set, the sample event's recaps (three teams, two sessions each) are
 * written there: sample-recap.md, sample-recap.txt, sample-recap-by-session.md and .txt.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventRecapT, OpenItemsT } from '../../common/event-schemas.js';
import { ADMIN_TOKEN, admin, api, writeMarkdown } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';
import { SAMPLE_EVENT, SAMPLE_WRITES } from './recap-sample.js';

let server: InProcessServer;
let base: string;

const put = (padId: string, markdown: string) => writeMarkdown(server, padId, markdown);

async function get(path: string) {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Writes `markdown` as the pad's whole content, committed at `iso` by the server's (faked) clock. */
async function putAt(iso: string, padId: string, markdown: string) {
  vi.setSystemTime(new Date(iso));
  await put(padId, markdown);
}

beforeAll(async () => {
  server = await startInProcess({ ADMIN_TOKEN, UNLOAD_DELAY_MS: '200' });
  base = server.baseUrl;
});
afterAll(async () => {
  await server?.close();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('event recap', () => {
  it('is markdown for pasting, 72-column text and JSON, whole and per team, with a fork left out', async () => {
    expect(
      (
        await admin(base, 'PUT', '/api/v1/events/rc', {
          name: 'Recap PTG',
          teams: [
            { slug: 'nova', name: 'Nova' },
            { slug: 'cinder', name: 'Cinder' },
            { slug: 'swift', name: 'Swift' },
          ],
        })
      ).status,
    ).toBe(201);
    await put(
      'rc-nova',
      '# Nova\n\n- [ ] Write the spec @alice\n- [x] Done (bob)\n\nAGREED: one review day a week\n\nSee https://review.opendev.org/c/1 about cell_v2 and [quota].\n',
    );
    await put('rc-cinder', '# Cinder\n\n## Decisions\n\n- Backups to Swift\n\n## Questions\n\n- Keep LVM?\n\nTODO(carol): release notes\n');
    const revisions = (await api(base, 'GET', '/api/v1/pads/rc-nova/revisions')).body.revisions as { rev: number }[];
    const fork = await api(base, 'POST', `/api/v1/pads/rc-nova/revisions/${revisions[0].rev}/fork`, {
      body: { newPadId: `rc-nova-r${revisions[0].rev}` },
    });
    expect(fork.status).toBe(201);
    await put(fork.body.padId, '# Fork\n\nACTION(ghost): only in the fork\n');

    // The event lists the fork as one (headings of pads not in memory settle within moments).
    const novaPads = async () =>
      (await api(base, 'GET', '/api/v1/events/rc')).body.teams[0].pads.map((p: { id: string; forkOf: unknown; heading: string | null }) => [
        p.id,
        p.forkOf,
        p.heading,
      ]);
    await expect.poll(novaPads, { timeout: 10_000 }).toEqual([
      ['rc-nova', null, 'Nova'],
      [fork.body.padId, { padId: 'rc-nova', rev: revisions[0].rev }, 'Fork'],
    ]);

    const md = await get('/api/v1/events/RC/recap.md');
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(
      md.text.startsWith(
        `# Recap: Recap PTG\n\nNotes of Nova, Cinder and Swift at [Recap PTG](${base}/e/rc).\n\n## Nova\n\nPad: [Nova](${base}/p/rc-nova)\n\n`,
      ),
    ).toBe(true);
    expect(md.text).toContain(
      `Fork, left out of this recap: [${fork.body.padId}](${base}/p/${fork.body.padId}) (of rc-nova at revision ${revisions[0].rev})`,
    );
    expect(md.text).toContain('### Action items\n\n- [ ] Write the spec @alice\n\n### Decisions\n\n- one review day a week\n');
    expect(md.text).toContain('## Cinder\n\nPad: [Cinder](');
    expect(md.text).toContain(
      '### Action items\n\n- [ ] carol: release notes\n\n### Decisions\n\n- Backups to Swift\n\n### Open questions\n\n- Keep LVM?\n',
    );
    expect(md.text).toContain('See <https://review.opendev.org/c/1> about cell_v2 and [quota].');
    expect(md.text).toContain('## Swift\n\nPad: [rc-swift]');
    expect(md.text).not.toContain('ghost');
    expect(md.text).not.toMatch(/&nbsp;|\\[_[\]:]/);

    const nova = await get('/api/v1/events/rc/recap.md?team=nova&download=1');
    expect(nova.text.startsWith('## Nova\n')).toBe(true);
    expect(nova.text).not.toContain('Cinder');
    expect(nova.headers.get('content-disposition')).toBe('attachment; filename="rc-nova-recap.md"');

    const txt = await get('/api/v1/events/rc/recap.txt?download=1');
    expect(txt.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(txt.headers.get('content-disposition')).toBe('attachment; filename="rc-recap.txt"');
    expect(txt.text).toContain('Nova\n----\n');
    expect(txt.text).toContain('[ ] Write the spec @alice');
    expect(txt.text.split('\n').every((line) => line.length <= 72 || !line.trim().includes(' '))).toBe(true);

    const summary = await get('/api/v1/events/rc/recap.md?summary=only');
    expect(summary.text).toContain('### Action items');
    expect(summary.text).not.toContain('### Notes');

    const json = (await api<EventRecapT>(base, 'GET', '/api/v1/events/rc/recap.json')).body;
    expect(json.event).toEqual({ slug: 'rc', name: 'Recap PTG', url: '/e/rc' });
    expect(json.by).toBe('pad');
    expect(json.markdown).toBe(md.text);
    expect(json.text).toBe((await get('/api/v1/events/rc/recap.txt')).text);
    expect(json.teams.map((t) => [t.slug, t.counts.action, t.counts.decision, t.counts.question])).toEqual([
      ['nova', 1, 1, 0],
      ['cinder', 1, 1, 1],
      ['swift', 0, 0, 0],
    ]);
    expect(json.teams[0].markdown).toBe(nova.text);
    expect(json.teams[0].html).toContain('<h2>Nova</h2>');
    expect(json.teams[0].html).not.toContain('ghost');
  });

  it('answers bad input with clear errors', async () => {
    for (const [path, status] of [
      ['/api/v1/events/nope/recap.md', 404],
      ['/api/v1/events/nope/recap.json', 404],
      ['/api/v1/events/Bad%20Slug/recap.txt', 400],
      ['/api/v1/events/rc/recap.md?by=room', 400],
      ['/api/v1/events/rc/recap.md?team=nope', 404],
      ['/api/v1/events/rc/recap.md?team=Bad%20Team', 400],
      ['/api/v1/pads/never-written-pad/recap.md', 404],
      ['/api/v1/pads/bad..id/recap.txt', 400],
      ['/api/v1/teams/Bad%20Team/open-items', 400],
      ['/api/v1/teams/nova/open-items?before=nope', 404],
    ] as const) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(status);
      expect(await res.json(), path).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('recaps one pad as markdown and text', async () => {
    const md = await get('/api/v1/pads/rc-cinder/recap.md?download=1');
    expect(md.headers.get('content-disposition')).toBe('attachment; filename="rc-cinder-recap.md"');
    expect(
      md.text.startsWith(`# Recap: Cinder\n\nPad: [Cinder](${base}/p/rc-cinder)\n\n## Action items\n\n- [ ] carol: release notes\n`),
    ).toBe(true);
    const txt = await get('/api/v1/pads/rc-cinder/recap.txt');
    expect(txt.text.startsWith('Recap: Cinder\n=============\n')).toBe(true);
  });
});

describe('by-session recap', () => {
  it("groups each team's lines by the booked blocks in which they were written", async () => {
    expect(
      (
        await admin(base, 'PUT', '/api/v1/events/sess', {
          name: 'Session PTG',
          timeZone: 'UTC',
          startsOn: '2026-04-14',
          endsOn: '2026-04-15',
          rooms: ['Bexar', 'Austin'],
          slots: [
            { name: 'early', start: '09:00', end: '10:00' },
            { name: 'pm1', start: '14:00', end: '15:00' },
            { name: 'pm2', start: '15:00', end: '16:00' },
          ],
          teams: [{ slug: 'nova', name: 'Nova' }],
          bookings: [
            { room: 'Bexar', day: '2026-04-14', slot: 'pm1', team: 'nova' },
            { room: 'Bexar', day: '2026-04-14', slot: 'pm2', team: 'nova' },
            { room: 'Austin', day: '2026-04-15', slot: 'early', team: 'nova' },
          ],
        })
      ).status,
    ).toBe(201);
    vi.useFakeTimers({ toFake: ['Date'] });
    const template = '# Nova PTG\n\n## Agenda\n\nLive migration, then unified limits\n';
    await putAt('2026-04-07T10:00:00Z', 'sess-nova', template);
    const tuesday = `${template}\n## Live migration\n\nAGREED: keep the old flow one more cycle\n\nACTION(gibi): write the spec\n`;
    await putAt('2026-04-14T14:10:00Z', 'sess-nova', tuesday);
    const wednesday = `${tuesday}\n## Unified limits\n\nACTION(melwitt): write the docs\n`;
    await putAt('2026-04-15T09:20:00Z', 'sess-nova', wednesday);
    await putAt('2026-04-20T08:00:00Z', 'sess-nova', `${wednesday}\nLate note after the event\n`);
    vi.useRealTimers();

    const md = (await get('/api/v1/events/sess/recap.md?by=session&team=nova')).text;
    const notes = md.slice(md.indexOf('### Tuesday'));
    expect(notes).toBe(
      [
        '### Tuesday 14:00-16:00, room Bexar',
        '#### Live migration',
        'AGREED: keep the old flow one more cycle',
        'ACTION(gibi): write the spec',
        '### Wednesday 09:00-10:00, room Austin',
        '#### Unified limits',
        'ACTION(melwitt): write the docs',
        '### Other notes',
        '#### Agenda',
        'Live migration, then unified limits',
        '#### Unified limits',
        'Late note after the event\n',
      ].join('\n\n'),
    );
    const json = (await api<EventRecapT>(base, 'GET', '/api/v1/events/sess/recap.json?by=session')).body;
    expect(json.by).toBe('session');
    expect(json.teams[0].markdown).toBe(md);
    expect((await get('/api/v1/events/sess/recap.md?by=session&download=1')).headers.get('content-disposition')).toBe(
      'attachment; filename="sess-recap-by-session.md"',
    );
  });

  it('produces the sample recap: three teams, two sessions each', async () => {
    expect((await admin(base, 'PUT', `/api/v1/events/${SAMPLE_EVENT.slug}`, SAMPLE_EVENT.body)).status).toBe(201);
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const write of SAMPLE_WRITES) await putAt(write.at, write.padId, write.markdown);
    vi.useRealTimers();
    const recap = (await get(`/api/v1/events/${SAMPLE_EVENT.slug}/recap.md`)).text;
    const text = (await get(`/api/v1/events/${SAMPLE_EVENT.slug}/recap.txt`)).text;
    const bySession = (await get(`/api/v1/events/${SAMPLE_EVENT.slug}/recap.md?by=session`)).text;
    const bySessionText = (await get(`/api/v1/events/${SAMPLE_EVENT.slug}/recap.txt?by=session`)).text;
    expect([...recap.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['Nova', 'Cinder', 'Neutron']);
    expect([...bySession.matchAll(/^### (.+, room .+)$/gm)].map((m) => m[1])).toEqual([
      'Tuesday 09:00-12:00, room Bexar',
      'Thursday 14:00-16:00, room Bexar',
      'Tuesday 14:00-16:00, room Austin',
      'Wednesday 09:00-12:00, room Austin',
      'Wednesday 14:00-16:00, room Bexar',
      'Thursday 09:00-12:00, room Austin',
    ]);
    expect(bySession).not.toContain('Nothing was written during this session');
    expect(text.split('\n').every((line) => line.length <= 72 || !line.trim().includes(' '))).toBe(true);
    const out = process.env.RECAP_SAMPLE_DIR;
    if (out) {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'sample-recap.md'), recap);
      writeFileSync(join(out, 'sample-recap.txt'), text);
      writeFileSync(join(out, 'sample-recap-by-session.md'), bySession);
      writeFileSync(join(out, 'sample-recap-by-session.txt'), bySessionText);
    }
  });
});

describe('open items carried forward', () => {
  it("lists a team's open action items from its pads at earlier events, latest first, forks left out", async () => {
    const event = (slug: string, startsOn: string) =>
      admin(base, 'PUT', `/api/v1/events/${slug}`, { name: `PTG ${slug}`, startsOn, teams: [{ slug: 'glance', name: 'Glance' }] });
    expect((await event('oi1', '2025-04-07')).status).toBe(201);
    expect((await event('oi2', '2025-10-20')).status).toBe(201);
    expect((await event('oi3', '2026-04-13')).status).toBe(201);
    await put('oi1-glance', '- [ ] ACTION(jokke): old spec\n');
    await put(
      'oi2-glance',
      '# Glance\n\n- [ ] (abhishek) finish the import plugin\n- [x] release notes\n\nACTION(croelandt): triage bugs @dansmith\n\nAGREED: not an action\n',
    );
    await put('oi2-glance-quotas', '#action rosmaita review the quota spec\n');
    const revisions = (await api(base, 'GET', '/api/v1/pads/oi2-glance/revisions')).body.revisions as { rev: number }[];
    expect(
      (await api(base, 'POST', `/api/v1/pads/oi2-glance/revisions/${revisions[0].rev}/fork`, { body: { newPadId: 'oi2-glance-r1' } }))
        .status,
    ).toBe(201);
    await put('oi3-glance', '- [ ] a new item at the current event\n');

    const res = await api<OpenItemsT>(base, 'GET', '/api/v1/teams/glance/open-items?before=oi3');
    expect(res.status).toBe(200);
    expect(res.body.team).toBe('glance');
    expect(res.body.before).toBe('oi3');
    expect(res.body.events.map((e) => [e.slug, e.items.map((i) => [i.text, i.owners, i.padId])])).toEqual([
      [
        'oi2',
        [
          ['abhishek: finish the import plugin', ['abhishek'], 'oi2-glance'],
          ['croelandt: triage bugs @dansmith', ['croelandt', 'dansmith'], 'oi2-glance'],
          ['rosmaita: review the quota spec', ['rosmaita'], 'oi2-glance-quotas'],
        ],
      ],
      ['oi1', [['jokke: old spec', ['jokke'], 'oi1-glance']]],
    ]);
    expect(res.body.events[0].items[1].markdown).toBe('- [ ] croelandt: triage bugs @dansmith');
    expect(res.body.events[0].url).toBe('/e/oi2');

    const all = (await api<OpenItemsT>(base, 'GET', '/api/v1/teams/glance/open-items')).body;
    expect(all.events.map((e) => e.slug)).toEqual(['oi3', 'oi2', 'oi1']);
    expect((await api<OpenItemsT>(base, 'GET', '/api/v1/teams/nobody/open-items?before=oi3')).body.events).toEqual([]);
  });
});
