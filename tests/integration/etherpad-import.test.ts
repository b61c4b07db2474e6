/**
 * Importing `.etherpad` exports through a real server (SQLite, and PostgreSQL when the shared
 * services are there): the summary, real revisions (list, content, diff, authorship, restore,
 * saved revisions) with the original authors and times, chat, a live client seeing the import,
 * refusals that store nothing, Etherpad's URLs, aliases, and the export read back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, synced, waitUntil } from '../helpers/clients.js';
import { etherpadCheck } from '../helpers/etherpad-check.js';
import { ADMIN_TOKEN, admin, api } from '../helpers/events.js';
import { rawRequest } from '../helpers/http.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';
import { freshDatabase, sharedServices } from '../helpers/services.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'etherpad');
const fixtureText = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const T = 1700000000000;

const importFile = (server: InProcessServer, padId: string, name: string, query = '', token: string | null = ADMIN_TOKEN) =>
  api(server.baseUrl, 'POST', `/api/v1/pads/${padId}/import/etherpad${query}`, { rawBody: fixtureText(name), token });

/** POST /p/<pad>/import as a browser form would send it. */
async function formImport(server: InProcessServer, padId: string, fileName: string, content: string, headers: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([content]), fileName);
  const res = await fetch(`${server.baseUrl}/p/${padId}/import`, { method: 'POST', body: form, headers });
  return { status: res.status, body: (await res.json()) as any };
}

function suite(name: string, env: () => Record<string, string>) {
  describe(`Etherpad import on ${name}`, () => {
    let server: InProcessServer;

    beforeAll(async () => {
      server = await startInProcess({ ADMIN_TOKEN, UNLOAD_DELAY_MS: '200', ...env() });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('imports a pad with two authors into real revisions, authorship, chat and saved revisions', async () => {
      const res = await importFile(server, 'nova-2027.1-ptg', 'two-authors.etherpad');
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        padId: 'nova-2027.1-ptg',
        revisions: 4,
        authors: 2,
        chatMessages: 2,
        savedRevisions: 1,
        droppedAttributes: { align: 1 },
      });

      const revisions = await api(server.baseUrl, 'GET', '/api/v1/pads/nova-2027.1-ptg/revisions');
      expect(revisions.body.revisions.map((r: any) => [r.rev, r.time, r.authors.map((a: any) => [a.id, a.name, a.color])])).toEqual([
        [1, new Date(T + 1000).toISOString(), [['ep.a.alice', 'Alice', '#ff0000']]],
        [2, new Date(T + 2000).toISOString(), [['ep.a.bob', 'Bob', '#66a80f']]],
        [3, new Date(T + 3000).toISOString(), [['ep.a.alice', 'Alice', '#ff0000']]],
        [4, new Date(T + 4000).toISOString(), [['ep.a.bob', 'Bob', '#66a80f']]],
      ]);
      const md = async (rev: number) =>
        (await api(server.baseUrl, 'GET', `/api/v1/pads/nova-2027.1-ptg/revisions/${rev}/export.md`)).body as string;
      expect(await md(1)).toBe('# Title\n');
      expect(await md(2)).toMatch(/^# Title\n\n3\. visit \[https\\?:\/\/example\.org\]\(https:\/\/example\.org\) now\n$/);
      expect(await md(3)).toMatch(/^# \*\*Title\*\*\n\n3\. visit /);

      const diff = await api(server.baseUrl, 'GET', '/api/v1/pads/nova-2027.1-ptg/diff?from=1&to=2');
      expect(
        diff.body.changes
          .filter((c: any) => c.op === 'insert')
          .map((c: any) => c.text)
          .join(''),
      ).toContain('visit https://example.org now');

      const authorship = await api(server.baseUrl, 'GET', '/api/v1/pads/nova-2027.1-ptg/authorship');
      expect(authorship.body.spans.filter((s: any) => s.author)).toEqual([
        { author: 'ep.a.alice', text: 'Title' },
        { author: 'ep.a.bob', text: 'visit https://example.org now' },
      ]);

      const saved = await api(server.baseUrl, 'GET', '/api/v1/pads/nova-2027.1-ptg/saved-revisions');
      expect(saved.body.saved.map((s: any) => [s.rev, s.label, s.author])).toEqual([[3, 'after bold', 'ep.a.alice']]);

      const reader = connectProvider(server.wsUrl, 'nova-2027.1-ptg');
      await synced(reader);
      expect(
        reader.doc
          .getArray('chat')
          .toArray()
          .map((m: any) => [m.author, m.text, m.time]),
      ).toEqual([
        ['Bob', 'hello from chat', T + 2500],
        ['Alice A.', 'second', T + 5000],
      ]);
      reader.destroy();

      // Restore works on imported history: revision 2 (before the bold) comes back as revision 5.
      const restored = await admin(server.baseUrl, 'POST', '/api/v1/pads/nova-2027.1-ptg/revisions/2/restore');
      expect(restored.status).toBe(200);
      expect(restored.body.rev).toBe(5);
      expect(await md(5)).toBe(await md(2));
    });

    it('refuses a pad that has content, and a corrupt history, storing nothing', async () => {
      const again = await importFile(server, 'nova-2027.1-ptg', 'test.etherpad');
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('pad_not_empty');

      const broken = await importFile(server, 'broken-pad', 'broken.etherpad');
      expect(broken.status).toBe(422);
      expect(broken.body.error).toEqual({
        code: 'corrupt_revision',
        message: expect.stringMatching(
          /^Revision 1395: its changeset does not apply: the character bank holds 258 characters but the inserts use 256/,
        ),
      });
      expect((await api(server.baseUrl, 'GET', '/api/v1/pads/broken-pad')).status).toBe(404);

      const other = await api(server.baseUrl, 'POST', '/api/v1/pads/other/import/etherpad', {
        rawBody: JSON.stringify({
          'pad:a': { head: 0, atext: { text: '\n', attribs: '|1+1' }, pool: { numToAttrib: {} } },
          'pad:b:revs:0': {},
        }),
        token: ADMIN_TOKEN,
      });
      expect(other.status).toBe(400);
      expect(other.body.error.code).toBe('records_of_another_pad');
      expect((await importFile(server, 'no-token', 'test.etherpad', '', null)).status).toBe(401);
      expect((await importFile(server, 'bad-token', 'test.etherpad', '', 'wrong')).status).toBe(403);
    });

    it('imports the valid first 1,394 revisions of broken.etherpad', async () => {
      const started = performance.now();
      const res = await importFile(server, 'broken-valid', 'broken.etherpad', '?throughRevision=1394');
      const ms = performance.now() - started;
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ revisions: 1395, authors: 2, chatMessages: 0, savedRevisions: 1 });
      const list = await api(server.baseUrl, 'GET', '/api/v1/pads/broken-valid/revisions?limit=2000');
      expect(list.body.revisions).toHaveLength(1395);
      const txt = (await api(server.baseUrl, 'GET', '/api/v1/pads/broken-valid/export.txt')).body as string;
      expect(txt).toMatch(/^COMUNICADO – Reclamamos la digitalización democrática/);
      console.info(`imported broken.etherpad through revision 1394 (1,395 revisions) in ${Math.round(ms)} ms on ${name}`);
    });

    it('shows an import to people who have the empty pad open, at once', async () => {
      const watcher = connectProvider(server.wsUrl, 'open-pad');
      await synced(watcher);
      const res = await importFile(server, 'open-pad', 'test.etherpad');
      expect(res.status).toBe(201);
      await waitUntil(() => watcher.doc.getXmlFragment('default').toString().includes('hello'), 'the imported text at the open client');
      watcher.destroy();
    });

    it("answers Etherpad's URLs and leads old names to their new id", async () => {
      const imported = await importFile(server, 'nova-ptg-3f2a', 'test.etherpad', '?alias=Nova-PTG');
      expect(imported.status).toBe(201);
      const page = await rawRequest(server.baseUrl, '/p/Nova-PTG');
      expect(page.status).toBe(301);
      expect(page.headers.location).toBe('/p/nova-ptg-3f2a');
      const txt = await rawRequest(server.baseUrl, '/p/Nova-PTG/export/txt');
      expect(txt.status).toBe(200);
      expect(txt.headers['content-disposition']).toContain('attachment');
      expect(txt.body).toContain('hello');
      expect((await rawRequest(server.baseUrl, '/p/nova-ptg-3f2a/export/markdown')).body).toBe('- hello\n');
      expect((await rawRequest(server.baseUrl, '/p/nova-ptg-3f2a/export/html')).body).toContain('<li>');
      expect((await rawRequest(server.baseUrl, '/p/nova-ptg-3f2a/export/docx')).status).toBe(404);
      const slider = await rawRequest(server.baseUrl, '/p/Nova-PTG/timeslider');
      expect(slider.status).toBe(302);
      expect(slider.headers.location).toBe('/p/nova-ptg-3f2a?timeslider');
      expect((await rawRequest(server.baseUrl, '/p/nova-2027.1-ptg')).status).not.toBe(400);
      // Old names are matched exactly as Etherpad had them, '%' and spaces included.
      await admin(
        server.baseUrl,
        'POST',
        `/api/v1/pads/odd-name/import/etherpad?alias=${encodeURIComponent('100% Nova notes')}`,
        JSON.parse(fixtureText('test.etherpad')),
      );
      const odd = await rawRequest(server.baseUrl, `/p/${encodeURIComponent('100% Nova notes')}`);
      expect(odd.status).toBe(301);
      expect(odd.headers.location).toBe('/p/odd-name');
    });

    it('exports any pad as .etherpad that imports back with the same content and history', async () => {
      const exported = await rawRequest(server.baseUrl, '/p/nova-2027.1-ptg/export/etherpad');
      expect(exported.status).toBe(200);
      const file = JSON.parse(exported.body);
      expect(file['pad:nova-2027.1-ptg'].head).toBe(4);
      expect(file['globalAuthor:a.alice']).toMatchObject({ name: 'Alice', colorId: '#ff0000', padIDs: 'nova-2027.1-ptg' });
      expect(file['pad:nova-2027.1-ptg:chat:1']).toMatchObject({ text: 'second', authorId: 'a.alice', userName: 'Alice A.' });
      expect(() => etherpadCheck(file, 'nova-2027.1-ptg')).not.toThrow();
      const back = await api(server.baseUrl, 'POST', '/api/v1/pads/round-trip/import/etherpad', {
        rawBody: exported.body,
        token: ADMIN_TOKEN,
      });
      expect(back.status).toBe(201);
      expect(back.body).toMatchObject({ revisions: 5, authors: 2, chatMessages: 2 });
      const text = async (pad: string) => (await api(server.baseUrl, 'GET', `/api/v1/pads/${pad}/export.md`)).body;
      expect(await text('round-trip')).toBe(await text('nova-2027.1-ptg'));
      const authorship = await api(server.baseUrl, 'GET', '/api/v1/pads/round-trip/authorship');
      expect(authorship.body.spans.filter((s: any) => s.author).map((s: any) => s.author)).toEqual(['ep.a.alice', 'ep.a.bob']);
    });

    it('imports from the pad page form: .etherpad for editors of an empty pad, .txt replacing content', async () => {
      const res = await formImport(server, 'form-pad', 'pad.etherpad', fixtureText('two-authors.etherpad'));
      expect(res.status).toBe(201);
      const revisions = await api(server.baseUrl, 'GET', '/api/v1/pads/form-pad/revisions');
      // An editor's import names its authors for this pad only.
      expect(revisions.body.revisions[0].authors[0].id).toBe('ep.form-pad/a.alice');
      expect((await formImport(server, 'form-pad', 'pad.etherpad', fixtureText('test.etherpad'))).status).toBe(409);
      const txt = await formImport(server, 'form-pad', 'notes.txt', 'plain line\n');
      expect(txt.status).toBe(200);
      expect((await api(server.baseUrl, 'GET', '/api/v1/pads/form-pad/export.txt')).body).toBe('plain line\n');
      expect((await formImport(server, 'form-pad', 'notes.docx', 'x')).status).toBe(415);
      // A pad with an edit key takes an .etherpad file only with the key.
      expect((await admin(server.baseUrl, 'PUT', '/api/v1/pads/keyed-pad/edit-key', { key: 'sesame-123' })).status).toBe(204);
      expect((await formImport(server, 'keyed-pad', 'pad.etherpad', fixtureText('test.etherpad'))).status).toBe(403);
      expect(
        (await formImport(server, 'keyed-pad', 'pad.etherpad', fixtureText('test.etherpad'), { 'x-edit-key': 'sesame-123' })).status,
      ).toBe(201);
    });
  });
}

suite('SQLite', () => ({}));

const shared = sharedServices();
describe.skipIf(shared === null)('PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(shared!.databaseUrl);
  });
  afterAll(async () => {
    await db?.drop();
  });
  suite('PostgreSQL', () => ({ DATABASE_URL: db.url }));
});

describe('imports past the pad size cap', () => {
  it('refuses a pad bigger than MAX_PAD_BYTES with 413, storing nothing', async () => {
    const server = await startInProcess({ ADMIN_TOKEN, MAX_PAD_BYTES: '10000' });
    try {
      const res = await importFile(server, 'too-big', 'broken.etherpad', '?throughRevision=1394');
      expect(res.status).toBe(413);
      expect(res.body.error).toEqual({
        code: 'pad_too_large',
        message: expect.stringMatching(/^The imported pad would be \d+\.\d MB, more than a pad may be here \(0\.0 MB, MAX_PAD_BYTES\)\.$/),
      });
      expect((await api(server.baseUrl, 'GET', '/api/v1/pads/too-big')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('exports that Etherpad accepts', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcess({ ADMIN_TOKEN, REVISION_WINDOW_MS: '0' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("passes Etherpad's import checks for a pad written here: lists, headings, code, marks, deletions, chat, saved revisions", async () => {
    const put = (markdown: string) =>
      fetch(`${server.baseUrl}/api/v1/pads/written-here/content`, {
        method: 'PUT',
        headers: { 'content-type': 'text/markdown' },
        body: markdown,
      });
    expect((await put('# Agenda\n\n- one\n  - deep **bold**\n- two\n\n3. third\n4. fourth\n')).status).toBe(201);
    expect((await put('# Agenda\n\n- one\n- two ~~struck~~\n\n```\ncode a\ncode b\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n')).status).toBe(
      200,
    );
    expect((await put('## Agenda\n\n- two *it*\n')).status).toBe(200);
    expect(
      (await admin(server.baseUrl, 'POST', '/api/v1/pads/written-here/saved-revisions', { rev: 2, label: 'middle' })).status,
    ).toBeLessThan(300);
    const res = await rawRequest(server.baseUrl, '/p/written-here/export/etherpad');
    const file = JSON.parse(res.body);
    expect(file['pad:written-here'].head).toBe(2);
    expect(() => etherpadCheck(file, 'written-here')).not.toThrow();
    // The check does fail where Etherpad's would.
    const strange = structuredClone(file);
    strange['pad:written-here:revs:1'].meta.author = 'a.notInThePool';
    expect(() => etherpadCheck(strange, 'written-here')).toThrow(/revision 1: author a.notInThePool is not in the pool/);
    const split = structuredClone(file);
    split['pad:written-here:revs:0'].changeset = split['pad:written-here:revs:0'].changeset.replace(/^Z:1>([0-9a-z]+)/, 'Z:1>$1=0');
    expect(() => etherpadCheck(split, 'written-here')).toThrow(/revision 0: changeset not in canonical form/);
    // Read back by our own importer, the content is the same.
    const back = await api(server.baseUrl, 'POST', '/api/v1/pads/written-back/import/etherpad', { rawBody: res.body, token: ADMIN_TOKEN });
    expect(back.status).toBe(201);
    const md = async (pad: string) => (await api(server.baseUrl, 'GET', `/api/v1/pads/${pad}/export.md`)).body;
    expect(await md('written-back')).toBe(await md('written-here'));
  });

  it('exports an empty pad as a one-revision file', async () => {
    const created = await fetch(`${server.baseUrl}/api/1/createPad?apikey=${ADMIN_TOKEN}&padID=never-written`);
    expect((await created.json()).code).toBe(0);
    const file = JSON.parse((await rawRequest(server.baseUrl, '/p/never-written/export/etherpad')).body);
    expect(file['pad:never-written']).toMatchObject({ head: 0, atext: { text: '\n', attribs: '|1+1' } });
    expect(() => etherpadCheck(file, 'never-written')).not.toThrow();
  });
});
