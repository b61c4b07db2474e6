/**
 * What a read-only view may learn about its pad (`GET /api/v1/pads/<readOnlyId>`): its title
 * and the names of its event and team, never the pad id nor the slugs that spell it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, admin, api } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

describe("the read-only view's label", () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcess({ ADMIN_TOKEN });
    const created = await admin(server.baseUrl, 'PUT', '/api/v1/events/labelptg', {
      name: 'Label PTG',
      startsOn: '2026-10-20',
      teams: [{ slug: 'nova', name: 'Nova Compute' }],
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  const write = async (padId: string, text: string) => {
    const res = await fetch(`${server.baseUrl}/api/v1/pads/${padId}/content`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: text,
    });
    expect(res.status).toBeLessThan(300);
    return ((await api(server.baseUrl, 'GET', `/api/v1/pads/${padId}`)).body as { readOnlyId: string }).readOnlyId;
  };

  it('names a team pad by its title, event and team, without its id or slugs', async () => {
    const padId = 'labelptg-nova-placement';
    const readOnlyId = await write(padId, 'Placement notes.');
    expect(
      (await admin(server.baseUrl, 'PATCH', `/api/v1/events/labelptg/teams/nova/pads/${padId}`, { title: 'Placement deep dive' })).status,
    ).toBe(200);
    const res = await api(server.baseUrl, 'GET', `/api/v1/pads/${readOnlyId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ readOnly: true, readOnlyId, title: 'Placement deep dive', event: 'Label PTG', team: 'Nova Compute' });
    expect(res.body).not.toHaveProperty('id');
    const text = JSON.stringify(res.body);
    for (const secret of [padId, 'labelptg', '"nova"']) expect(text).not.toContain(secret);
  });

  it('has nulls for a pad of no event and no title', async () => {
    const readOnlyId = await write('loose-label-pad', 'Just text.');
    const res = await api(server.baseUrl, 'GET', `/api/v1/pads/${readOnlyId}`);
    expect(res.body).toMatchObject({ readOnly: true, title: null, event: null, team: null });
  });
});
