/**
 * The integration suite's key cases on PostgreSQL (DATABASE_URL, a fresh database on
 * TEST_DATABASE_URL), one server process: acknowledged and relayed edits, a restart that keeps
 * everything, snapshots, markdown import and export, history with compaction, events and team
 * edit keys, search, and read-only exports on a cold cache.
 */
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageType, readSaved } from '../../common/protocol.js';
import { connectProvider, openRaw, synced, textUpdate, updateFrameOf, waitUntil } from '../helpers/clients.js';
import { ADMIN_TOKEN, admin, api, appendParagraphs } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';
import { freshDatabase, sharedServices } from '../helpers/services.js';
import { notesText, readNotesText } from '../helpers/notes-text.js';

const shared = sharedServices();

describe.skipIf(shared === null)('one server on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: InProcessServer;
  const env = () => ({ DATABASE_URL: db.url, ADMIN_TOKEN, UNLOAD_DELAY_MS: '100', SNAPSHOT_EVERY: '5', REVISION_WINDOW_MS: '100' });

  beforeAll(async () => {
    db = await freshDatabase(shared!.databaseUrl);
    server = await startInProcess(env());
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('acknowledges committed writes and relays them; a restart keeps them', async () => {
    expect(server.app.stores.kind).toBe('postgres');
    const raw = await openRaw(`${server.wsUrl}/pg-acks?ack=1`);
    const watcher = connectProvider(server.wsUrl, 'pg-acks');
    await synced(watcher);
    raw.ws.send(updateFrameOf(textUpdate('hello', 4242)));
    await waitUntil(
      () => raw.frames.some((f) => f[0] === MessageType.saved && readSaved(skipType(f)) === 1) && readNotesText(watcher.doc) === 'hello',
      'ack and relay',
    );
    expect((await server.app.store.getPad('pg-acks'))?.lastSeq).toBe(1);
    raw.ws.close();
    watcher.destroy();
    await server.close();
    server = await startInProcess(env());
    const reader = connectProvider(server.wsUrl, 'pg-acks');
    await synced(reader);
    expect(readNotesText(reader.doc)).toBe('hello');
    reader.destroy();
  });

  it('writes snapshots and loads from the latest one plus the tail', async () => {
    const writer = connectProvider(server.wsUrl, 'pg-snap');
    await synced(writer);
    // The notes' paragraph first (its own update), then one update per character.
    notesText(writer.doc);
    await waitUntil(
      () => server.app.rooms.peek('pg-snap')?.isDurable === true && server.app.rooms.peek('pg-snap')!.progress.lastSeq === 1,
      'paragraph',
    );
    for (let i = 0; i < 12; i += 1) {
      notesText(writer.doc).insert(i, String(i % 10));
      await waitUntil(
        () => server.app.rooms.peek('pg-snap')?.isDurable === true && server.app.rooms.peek('pg-snap')!.progress.lastSeq === i + 2,
        `commit ${i}`,
      );
    }
    writer.destroy();
    await waitUntil(() => server.app.rooms.peek('pg-snap') === undefined, 'unloaded');
    const stored = await server.app.store.loadPad('pg-snap');
    expect(stored.snapshot).not.toBeNull();
    expect(stored.tail.length).toBeLessThan(5);
    const reader = connectProvider(server.wsUrl, 'pg-snap');
    await synced(reader);
    expect(readNotesText(reader.doc)).toBe('012345678901');
    reader.destroy();
  });

  it('imports and exports markdown, keeps history and compacts it', async () => {
    // Three authors, so that each import is its own revision whatever the revision window.
    let n = 0;
    const put = (body: string) =>
      fetch(`${server.baseUrl}/api/v1/pads/pg-md/content`, {
        method: 'PUT',
        headers: { 'content-type': 'text/markdown', cookie: `gp_author=a.${String(++n).repeat(22)}` },
        body,
      });
    expect((await put('# Notes\n\nFirst version.')).status).toBeLessThan(300);
    expect((await put('# Notes\n\nSecond version.')).status).toBeLessThan(300);
    expect((await put('# Notes\n\nThird version.')).status).toBeLessThan(300);
    const md = await (await fetch(`${server.baseUrl}/api/v1/pads/pg-md/export.md`)).text();
    expect(md).toContain('Third version.');
    const { body } = await api(server.baseUrl, 'GET', '/api/v1/pads/pg-md/revisions');
    expect(body.revisions.length).toBeGreaterThanOrEqual(3);
    const first = await (await fetch(`${server.baseUrl}/api/v1/pads/pg-md/revisions/${body.revisions[0].rev}/export.md`)).text();
    expect(first).toContain('First version.');
    const cut = body.revisions[1];
    const res = await fetch(`${server.baseUrl}/api/v1/pads/pg-md/compact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ before: new Date(Date.parse(cut.time) + 1).toISOString() }),
    });
    expect(res.status).toBe(200);
    const after = await api(server.baseUrl, 'GET', '/api/v1/pads/pg-md/revisions');
    expect(after.body.revisions[0].rev).toBe(cut.rev);
    const reader = connectProvider(server.wsUrl, 'pg-md');
    await synced(reader);
    expect(reader.doc.getXmlFragment('default').toString()).toContain('Third version.');
    reader.destroy();
  });

  it('serves events, team edit keys and search', async () => {
    expect(
      (await admin(server.baseUrl, 'PUT', '/api/v1/events/pgptg', { name: 'PG PTG', teams: [{ slug: 'nova' }, { slug: 'cinder' }] }))
        .status,
    ).toBeLessThan(300);
    const writer = connectProvider(server.wsUrl, 'pgptg-nova');
    await synced(writer);
    appendParagraphs(writer.doc, ['The narwhal scheduler was discussed.']);
    let hits: { padId: string; team: string }[] = [];
    const found = async () => {
      hits = (await api(server.baseUrl, 'GET', '/api/v1/search?q=narwh&event=pgptg')).body.results;
      return hits.length > 0;
    };
    await waitUntil(found, 'the new word indexed', 15_000, 200);
    expect(hits).toMatchObject([{ padId: 'pgptg-nova', team: 'nova' }]);
    const event = await api(server.baseUrl, 'GET', '/api/v1/events/pgptg');
    expect(event.status).toBe(200);
    expect(JSON.stringify(event.body)).toContain('pgptg-nova');
    writer.destroy();

    expect((await admin(server.baseUrl, 'PUT', '/api/v1/events/pgptg/teams/cinder/edit-key', { key: 'cinder-key' })).status).toBe(204);
    const put = (key?: string) =>
      fetch(`${server.baseUrl}/api/v1/pads/pgptg-cinder-notes/content`, {
        method: 'PUT',
        headers: { 'content-type': 'text/markdown', ...(key ? { 'X-Edit-Key': key } : {}) },
        body: '# keyed',
      });
    expect((await put()).status).toBe(403);
    expect((await put('cinder-key')).status).toBeLessThan(300);
  });

  it('answers read-only exports on a cold cache, and refuses unknown read-only ids', async () => {
    const meta = await api(server.baseUrl, 'GET', '/api/v1/pads/pg-md');
    const readOnlyId = meta.body.readOnlyId as string;
    await server.close();
    server = await startInProcess(env());
    const res = await fetch(`${server.baseUrl}/api/v1/pads/${readOnlyId}/export.md`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('Third version.');
    expect(text).not.toContain('pg-md');
    expect((await fetch(`${server.baseUrl}/api/v1/pads/r.aaaaaaaaaaaaaaaaaaaaaaaaaa/export.md`)).status).toBe(404);
  });
});

function skipType(frame: Uint8Array): decoding.Decoder {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  return decoder;
}
