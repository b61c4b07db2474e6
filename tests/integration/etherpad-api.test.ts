/**
 * The Etherpad-compatible HTTP API through a real server: every function, every error code,
 * GET and POST (query, form, JSON), both key parameters and the bearer header, versions, and
 * writes that live clients see at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, synced, waitUntil } from '../helpers/clients.js';
import { ADMIN_TOKEN, api } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';
import { freshDatabase, sharedServices } from '../helpers/services.js';

interface Envelope {
  code: number;
  message: string;
  data: any;
}

function suite(name: string, env: () => Record<string, string>) {
  describe(`Etherpad HTTP API on ${name}`, () => {
    let server: InProcessServer;

    /** GET /api/1.3.0/<fn>?apikey=...&args */
    const call = async (
      fn: string,
      args: Record<string, string | number> = {},
      opts: { version?: string; key?: string | null } = {},
    ): Promise<Envelope & { status: number }> => {
      const params = new URLSearchParams(Object.entries(args).map(([k, v]) => [k, String(v)]));
      if (opts.key !== null) params.set('apikey', opts.key ?? ADMIN_TOKEN);
      const res = await fetch(`${server.baseUrl}/api/${opts.version ?? '1.3.0'}/${fn}?${params}`);
      return { status: res.status, ...((await res.json()) as Envelope) };
    };
    const ok = async (fn: string, args: Record<string, string | number> = {}) => {
      const res = await call(fn, args);
      expect(res, `${fn} ${JSON.stringify(args)}`).toMatchObject({ status: 200, code: 0, message: 'ok' });
      return res.data;
    };
    const fails = async (fn: string, args: Record<string, string | number>, message: string | RegExp) => {
      const res = await call(fn, args);
      expect(res.status).toBe(200);
      expect(res.code).toBe(1);
      expect(res.data).toBeNull();
      if (typeof message === 'string') expect(res.message).toBe(message);
      else expect(res.message).toMatch(message);
    };

    beforeAll(async () => {
      server = await startInProcess({ ADMIN_TOKEN, UNLOAD_DELAY_MS: '100', ...env() });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('tells its version and guards every function with the key (code 4, HTTP 401)', async () => {
      const root = await fetch(`${server.baseUrl}/api`);
      expect(await root.json()).toEqual({ currentVersion: '1.3.0' });
      expect(await call('checkToken', {}, { key: null })).toEqual({ status: 401, code: 4, message: 'no or wrong API Key', data: null });
      expect((await call('checkToken', {}, { key: 'wrong' })).code).toBe(4);
      expect((await call('checkToken')).code).toBe(0);
      const viaApiKey = await fetch(`${server.baseUrl}/api/1/checkToken?api_key=${ADMIN_TOKEN}`);
      expect((await viaApiKey.json()).code).toBe(0);
      const viaBearer = await fetch(`${server.baseUrl}/api/1.2/checkToken`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect((await viaBearer.json()).code).toBe(0);
    });

    it('answers code 3 (HTTP 404) for unknown functions and versions, and says why groups and sessions are not there', async () => {
      expect(await call('noSuchThing')).toEqual({ status: 404, code: 3, message: 'no such function', data: null });
      expect(await call('checkToken', {}, { version: '9.9' })).toEqual({
        status: 404,
        code: 3,
        message: 'no such api version',
        data: null,
      });
      const group = await call('createGroup');
      expect(group).toMatchObject({ status: 404, code: 3 });
      expect(group.message).toMatch(/^createGroup has no groups or sessions here/);
      expect((await call('createSession')).message).toMatch(/^createSession has no groups or sessions here/);
      expect((await call('getRevisionChangeset', { padID: 'x' })).code).toBe(3);
      // An unknown function is 3 even without the key, as in Etherpad.
      expect((await call('noSuchThing', {}, { key: null })).code).toBe(3);
    });

    it('creates pads and reads and writes their text, in every version, by GET and POST', async () => {
      expect(await ok('createPad', { padID: 'nova-2027.1-ptg', text: 'first line\nsecond line' })).toBeNull();
      await fails('createPad', { padID: 'nova-2027.1-ptg' }, 'padID does already exist');
      await fails('createPad', { padID: 'a?b' }, /did not match requirements|malformed padID/);
      await fails('createPad', { padID: 'g.abc$pad' }, /group pad/);
      expect(await ok('getText', { padID: 'Nova-2027.1-PTG' })).toEqual({ text: 'first line\nsecond line\n' });
      await fails('getText', { padID: 'nobody-here' }, 'padID does not exist');
      await fails('getText', { padID: '..' }, /did not match requirements/);

      const form = await fetch(`${server.baseUrl}/api/1.2.13/appendText`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ apikey: ADMIN_TOKEN, padID: 'nova-2027.1-ptg', text: ' and more\nthird line' }),
      });
      expect(await form.json()).toEqual({ code: 0, message: 'ok', data: null });
      expect((await ok('getText', { padID: 'nova-2027.1-ptg' })).text).toBe('first line\nsecond line and more\nthird line\n');

      const json = await api(server.baseUrl, 'POST', `/api/1/setText?apikey=${ADMIN_TOKEN}`, {
        body: { padID: 'nova-2027.1-ptg', text: 'replaced' },
      });
      expect(json.body).toEqual({ code: 0, message: 'ok', data: null });
      expect((await ok('getText', { padID: 'nova-2027.1-ptg' })).text).toBe('replaced\n');
      await fails('setText', { padID: 'nova-2027.1-ptg' }, 'text is not a string');
      await fails('appendText', { padID: 'nova-2027.1-ptg' }, 'text is not a string');
    });

    it('reads old revisions by Etherpad numbers, counts and saves them, and restores', async () => {
      // createPad with text was revision 0, appendText 1, setText 2.
      expect(await ok('getRevisionsCount', { padID: 'nova-2027.1-ptg' })).toEqual({ revisions: 2 });
      expect((await ok('getText', { padID: 'nova-2027.1-ptg', rev: 0 })).text).toBe('first line\nsecond line\n');
      expect((await ok('getText', { padID: 'nova-2027.1-ptg', rev: 1 })).text).toBe('first line\nsecond line and more\nthird line\n');
      await fails('getText', { padID: 'nova-2027.1-ptg', rev: 3 }, 'rev is higher than the head revision of the pad');
      await fails('getText', { padID: 'nova-2027.1-ptg', rev: 'x' }, 'rev is not a number');
      await fails('getText', { padID: 'nova-2027.1-ptg', rev: -1 }, 'rev is a negative number');
      await fails('getText', { padID: 'nova-2027.1-ptg', rev: 1.5 }, 'rev is a float value');

      expect(await ok('getSavedRevisionsCount', { padID: 'nova-2027.1-ptg' })).toEqual({ savedRevisions: 0 });
      expect(await ok('saveRevision', { padID: 'nova-2027.1-ptg', rev: 1 })).toBeNull();
      expect(await ok('saveRevision', { padID: 'nova-2027.1-ptg', rev: 1 })).toBeNull();
      expect(await ok('saveRevision', { padID: 'nova-2027.1-ptg' })).toBeNull();
      expect(await ok('listSavedRevisions', { padID: 'nova-2027.1-ptg' })).toEqual({ savedRevisions: [1, 2] });
      expect(await ok('getSavedRevisionsCount', { padID: 'nova-2027.1-ptg' })).toEqual({ savedRevisions: 2 });
      await fails('saveRevision', { padID: 'nova-2027.1-ptg', rev: 9 }, 'rev is higher than the head revision of the pad');

      expect(await ok('restoreRevision', { padID: 'nova-2027.1-ptg', rev: 0 })).toBeNull();
      expect((await ok('getText', { padID: 'nova-2027.1-ptg' })).text).toBe('first line\nsecond line\n');
      expect(await ok('getRevisionsCount', { padID: 'nova-2027.1-ptg' })).toEqual({ revisions: 3 });
      await fails('restoreRevision', { padID: 'nova-2027.1-ptg' }, 'rev is not defined');
      await fails('restoreRevision', { padID: 'nova-2027.1-ptg', rev: 99 }, 'rev is higher than the head revision of the pad');

      const diff = await ok('createDiffHTML', { padID: 'nova-2027.1-ptg', startRev: 0, endRev: 1 });
      expect(diff.html).toContain('<span class="added"> and more');
      expect(diff.html).toContain('third line');
      // API writes have no author; Etherpad lists them as ''.
      expect(diff.authors).toEqual(['']);
      await fails('createDiffHTML', { padID: 'nova-2027.1-ptg', startRev: 2, endRev: 1 }, 'startRev is higher than endRev');
    });

    it('reads and writes HTML', async () => {
      expect(await ok('createPad', { padID: 'html-pad' })).toBeNull();
      expect(
        await ok('setHTML', { padID: 'html-pad', html: '<b>Bold</b> start<br>next<ul><li>item</li></ul><script>alert(1)</script>' }),
      ).toBeNull();
      const { html } = await ok('getHTML', { padID: 'html-pad' });
      expect(html.replace(/\n/g, '')).toBe(
        '<!DOCTYPE HTML><html><body><p><strong>Bold</strong> start</p><p>next</p><ul><li><p>item</p></li></ul></body></html>',
      );
      expect((await ok('getText', { padID: 'html-pad' })).text).toBe('Bold start\nnext\n* item\n');
      expect((await ok('getHTML', { padID: 'html-pad', rev: 0 })).html.replace(/\n/g, '')).toBe(
        '<!DOCTYPE HTML><html><body><p><strong>Bold</strong> start</p><p>next</p><ul><li><p>item</p></li></ul></body></html>',
      );
      await fails('setHTML', { padID: 'html-pad' }, 'html is not a string');
    });

    it('shows API writes to people in the pad at once, as ordinary revisions', async () => {
      await ok('createPad', { padID: 'live-api' });
      const reader = connectProvider(server.wsUrl, 'live-api');
      await synced(reader);
      await ok('setText', { padID: 'live-api', text: 'seen live' });
      await waitUntil(() => reader.doc.getXmlFragment('default').toString().includes('seen live'), 'the API write at a live client');
      await ok('appendChatMessage', { padID: 'live-api', text: 'hi from the API', authorID: 'a.nobody', time: 1234 });
      await waitUntil(() => reader.doc.getArray('chat').length === 1, 'the chat message at a live client');
      expect(await ok('padUsersCount', { padID: 'live-api' })).toEqual({ padUsersCount: 1 });
      const users = await ok('padUsers', { padID: 'live-api' });
      expect(users.padUsers).toHaveLength(1);
      expect(users.padUsers[0].id).toMatch(/^a\.[A-Za-z0-9]{16}$/);
      reader.destroy();
      const revisions = await api(server.baseUrl, 'GET', '/api/v1/pads/live-api/revisions');
      expect(revisions.body.revisions.map((r: any) => r.authors[0].id)).toEqual(['api', 'api']);
    });

    it('answers chat history and head, author lists and names', async () => {
      const imported = await api(server.baseUrl, 'POST', '/api/v1/pads/chatty/import/etherpad', {
        rawBody: readFileSync(join(import.meta.dirname, '..', 'fixtures', 'etherpad', 'two-authors.etherpad'), 'utf8'),
        token: ADMIN_TOKEN,
      });
      expect(imported.status).toBe(201);
      expect(await ok('getChatHead', { padID: 'chatty' })).toEqual({ chatHead: 1 });
      const history = await ok('getChatHistory', { padID: 'chatty' });
      expect(history.messages).toEqual([
        { text: 'hello from chat', userId: 'a.bob', authorId: 'a.bob', time: 1700000002500, userName: 'Bob' },
        { text: 'second', userId: 'a.alice', authorId: 'a.alice', time: 1700000005000, userName: 'Alice A.' },
      ]);
      expect((await ok('getChatHistory', { padID: 'chatty', start: 1, end: 1 })).messages.map((m: any) => m.text)).toEqual(['second']);
      await fails('getChatHistory', { padID: 'chatty', start: 2, end: 1 }, 'start is higher than end');
      await fails('getChatHistory', { padID: 'chatty', start: 1, end: 5 }, 'end is higher than the current chatHead');
      await fails('getChatHistory', { padID: 'chatty', start: -1, end: 1 }, 'start is below zero');
      await fails('appendChatMessage', { padID: 'chatty' }, 'text is not a string');
      expect((await ok('listAuthorsOfPad', { padID: 'chatty' })).authorIDs.sort()).toEqual(['a.alice', 'a.bob']);
      expect(await ok('getAuthorName', { authorID: 'a.alice' })).toBe('Alice');
      expect(await ok('getAuthorName', { authorID: 'a.unknown' })).toBeNull();
      await fails('getAuthorName', {}, 'authorID is not a string');
      const diff = await ok('createDiffHTML', { padID: 'chatty', startRev: 0, endRev: 3 });
      expect(diff.authors.sort()).toEqual(['a.alice', 'a.bob']);
    });

    it('lists, copies, moves and deletes pads, with read-only ids and last edits', async () => {
      await ok('createPad', { padID: 'copy-src', text: 'to copy' });
      const { padIDs } = await ok('listAllPads');
      expect(padIDs).toEqual(expect.arrayContaining(['copy-src', 'nova-2027.1-ptg']));
      const { lastEdited } = await ok('getLastEdited', { padID: 'copy-src' });
      expect(lastEdited).toBeGreaterThan(Date.now() - 60_000);
      const { readOnlyID } = await ok('getReadOnlyID', { padID: 'copy-src' });
      expect(readOnlyID).toMatch(/^r\.[a-z2-7]{26}$/);
      expect(await ok('getPadID', { roID: readOnlyID })).toEqual({ padID: 'copy-src' });
      await fails('getPadID', { roID: 'r.nothere' }, 'padID does not exist');

      expect(await ok('copyPad', { sourceID: 'copy-src', destinationID: 'copy-dst' })).toEqual({ padID: 'copy-dst' });
      expect((await ok('getText', { padID: 'copy-dst' })).text).toBe('to copy\n');
      expect(await ok('getRevisionsCount', { padID: 'copy-dst' })).toEqual(await ok('getRevisionsCount', { padID: 'copy-src' }));
      expect((await ok('getReadOnlyID', { padID: 'copy-dst' })).readOnlyID).not.toBe(readOnlyID);
      await fails('copyPad', { sourceID: 'copy-src', destinationID: 'copy-dst' }, 'destinationID already exists');
      await ok('setText', { padID: 'copy-src', text: 'changed' });
      expect(await ok('copyPad', { sourceID: 'copy-src', destinationID: 'copy-dst', force: 'true' })).toEqual({ padID: 'copy-dst' });
      expect((await ok('getText', { padID: 'copy-dst' })).text).toBe('changed\n');

      expect(await ok('copyPadWithoutHistory', { sourceID: 'copy-src', destinationID: 'flat-copy' })).toEqual({ padID: 'flat-copy' });
      expect(await ok('getRevisionsCount', { padID: 'flat-copy' })).toEqual({ revisions: 0 });
      expect((await ok('getText', { padID: 'flat-copy' })).text).toBe('changed\n');

      expect(await ok('movePad', { sourceID: 'flat-copy', destinationID: 'moved' })).toEqual({ padID: 'moved' });
      await fails('getText', { padID: 'flat-copy' }, 'padID does not exist');
      expect((await ok('getText', { padID: 'moved' })).text).toBe('changed\n');

      expect(await ok('deletePad', { padID: 'moved' })).toBeNull();
      await fails('deletePad', { padID: 'moved' }, 'padID does not exist');
      expect((await ok('listAllPads')).padIDs).not.toContain('moved');
      const stats = await ok('getStats');
      expect(stats.totalPads).toBeGreaterThanOrEqual(3);
    });

    it('answers code 2 (HTTP 500) when the server fails, without details', async () => {
      const original = server.app.stores.pads.getPad.bind(server.app.stores.pads);
      server.app.stores.pads.getPad = async () => {
        throw new Error('disk on fire');
      };
      try {
        expect(await call('getText', { padID: 'copy-src' })).toEqual({ status: 500, code: 2, message: 'internal error', data: null });
      } finally {
        server.app.stores.pads.getPad = original;
      }
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
