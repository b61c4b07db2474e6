/**
 * A real Etherpad API client from npm, `etherpad-lite-client` (0.9.0, plain `http` GETs with the
 * key in the query, as scripts written for Etherpad do), driving the compatible API end to end:
 * create a pad, write and read it, history, chat, authors, copy and delete, and the errors a
 * script sees. The package is a devDependency; without it this suite fails in CI and is skipped
 * elsewhere with the command to install it.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, synced, waitUntil } from '../helpers/clients.js';
import { ADMIN_TOKEN } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

type Callback = (err: { code: number; message: string } | null, data: any) => void;
interface EtherpadClient {
  call(fn: string, args: Record<string, unknown>, callback: Callback): void;
  [fn: string]: any;
}
interface ClientModule {
  connect(options: { apikey: string; host: string; port: number; rootPath?: string }): EtherpadClient;
}

function loadClient(): ClientModule | null {
  try {
    return createRequire(import.meta.url)('etherpad-lite-client') as ClientModule;
  } catch {
    if (process.env.CI === 'true') throw new Error('etherpad-lite-client is missing: npm install --save-dev etherpad-lite-client@0.9.0');
    return null;
  }
}

const clientModule = loadClient();
if (!clientModule) console.warn('skipping the Etherpad client suite: npm install --save-dev etherpad-lite-client@0.9.0');

describe.skipIf(clientModule === null)('etherpad-lite-client against the compatible API', () => {
  let server: InProcessServer;
  let client: EtherpadClient;
  /** The client's function `fn` as a promise; rejects with the client's {code, message}. */
  const run = (fn: string, args: Record<string, unknown> = {}): Promise<any> =>
    new Promise((resolve, reject) => {
      const cb: Callback = (err, data) => (err ? reject(err) : resolve(data));
      if (typeof client[fn] === 'function') client[fn](args, cb);
      else client.call(fn, args, cb);
    });

  beforeAll(async () => {
    server = await startInProcess({ ADMIN_TOKEN });
    const url = new URL(server.baseUrl);
    // The client's default path is /api/1.2.12/; appendText needs 1.2.13 in Etherpad.
    client = clientModule!.connect({ apikey: ADMIN_TOKEN, host: url.hostname, port: Number(url.port), rootPath: '/api/1.2.13/' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates, writes, reads and lists pads', async () => {
    await run('createPad', { padID: 'client-pad', text: 'Agenda' });
    await run('appendText', { padID: 'client-pad', text: ' for Tuesday\n- item one' });
    expect(await run('getText', { padID: 'client-pad' })).toEqual({ text: 'Agenda for Tuesday\n- item one\n' });
    await run('setHTML', { padID: 'client-pad', html: '<h1>Agenda</h1><ul><li>one</li><li>two</li></ul>' });
    expect((await run('getHTML', { padID: 'client-pad' })).html.replace(/\n/g, '')).toContain(
      '<h1>Agenda</h1><ul><li><p>one</p></li><li><p>two</p></li></ul>',
    );
    expect((await run('listAllPads')).padIDs).toContain('client-pad');
    expect((await run('getLastEdited', { padID: 'client-pad' })).lastEdited).toBeGreaterThan(0);
  });

  it('reads history, saves and restores revisions, and diffs them', async () => {
    expect(await run('getRevisionsCount', { padID: 'client-pad' })).toEqual({ revisions: 2 });
    expect(await run('getText', { padID: 'client-pad', rev: 0 })).toEqual({ text: 'Agenda\n' });
    await run('saveRevision', { padID: 'client-pad', rev: 1 });
    expect(await run('listSavedRevisions', { padID: 'client-pad' })).toEqual({ savedRevisions: [1] });
    await run('restoreRevision', { padID: 'client-pad', rev: 0 });
    expect(await run('getText', { padID: 'client-pad' })).toEqual({ text: 'Agenda\n' });
    const diff = await run('createDiffHTML', { padID: 'client-pad', startRev: 0, endRev: 1 });
    expect(diff.html).toContain('for Tuesday');
  });

  it('posts chat that people in the pad see, and reads it back', async () => {
    const reader = connectProvider(server.wsUrl, 'client-pad');
    await synced(reader);
    await run('appendChatMessage', { padID: 'client-pad', text: 'from a script', authorID: 'a.script', time: 1000 });
    await waitUntil(() => reader.doc.getArray('chat').length === 1, 'the chat message at the live client');
    expect(await run('padUsersCount', { padID: 'client-pad' })).toEqual({ padUsersCount: 1 });
    reader.destroy();
    expect(await run('getChatHead', { padID: 'client-pad' })).toEqual({ chatHead: 0 });
    expect((await run('getChatHistory', { padID: 'client-pad' })).messages[0]).toMatchObject({ text: 'from a script', time: 1000 });
  });

  it('copies, moves and deletes, with read-only ids', async () => {
    await run('copyPad', { sourceID: 'client-pad', destinationID: 'client-copy' });
    await run('movePad', { sourceID: 'client-copy', destinationID: 'client-moved' });
    const { readOnlyID } = await run('getReadOnlyID', { padID: 'client-moved' });
    expect(await run('getPadID', { roID: readOnlyID })).toEqual({ padID: 'client-moved' });
    await run('deletePad', { padID: 'client-moved' });
    expect((await run('listAllPads')).padIDs).not.toContain('client-moved');
    await expect(run('checkToken')).resolves.toBeTruthy();
  });

  it('gets the errors a script expects', async () => {
    await expect(run('getText', { padID: 'client-moved' })).rejects.toEqual({ code: 1, message: 'padID does not exist' });
    await expect(run('createPad', { padID: 'client-pad' })).rejects.toEqual({ code: 1, message: 'padID does already exist' });
    await expect(run('createGroup')).rejects.toMatchObject({ code: 3 });
    const url = new URL(server.baseUrl);
    const wrongKey = clientModule!.connect({ apikey: 'wrong', host: url.hostname, port: Number(url.port) });
    await expect(
      new Promise((resolve, reject) => wrongKey.checkToken((err: unknown, data: unknown) => (err ? reject(err) : resolve(data)))),
    ).rejects.toEqual({
      code: 4,
      message: 'no or wrong API Key',
    });
  });
});
