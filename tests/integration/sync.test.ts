/**
 * Stock y-websocket providers against a real server: convergence, late joiners, awareness,
 * case-insensitive ids, and `saved` acknowledgements only for clients that ask.
 */
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { MessageType, isWriteFrame, readSaved } from '../../common/protocol.js';
import { connectProvider, frameKind, openRaw, synced, textUpdate, updateFrameOf, waitUntil } from '../helpers/clients.js';
import { useProviderSuite } from '../helpers/provider-suite.js';
import { startInProcess } from '../helpers/server.js';
import { notesText, readNotesText } from '../helpers/notes-text.js';

describe('sync with stock y-websocket providers', () => {
  const suite = useProviderSuite();
  const client = suite.client;

  it('two providers converge and a late joiner gets everything', async () => {
    const a = client('converge');
    const b = client('converge');
    await Promise.all([synced(a), synced(b)]);
    notesText(a.doc).insert(0, 'Hello ');
    notesText(b.doc).insert(0, 'World');
    await waitUntil(() => readNotesText(a.doc).length === 11 && readNotesText(b.doc).length === 11, 'both edits on both sides');
    expect(readNotesText(a.doc)).toBe(readNotesText(b.doc));

    const late = client('converge');
    await synced(late);
    await waitUntil(() => readNotesText(late.doc) === readNotesText(a.doc), 'late joiner content');
  });

  it('treats pad ids case-insensitively', async () => {
    const upper = client('ACC-Pad');
    const lower = client('acc-pad');
    await Promise.all([synced(upper), synced(lower)]);
    notesText(upper.doc).insert(0, 'same pad');
    await waitUntil(() => readNotesText(lower.doc) === 'same pad', 'edit across case variants');
    expect(suite.server.app.rooms.peek('acc-pad')?.peers.size).toBe(2);
  });

  it('shares awareness and removes it when a client disconnects', async () => {
    const a = client('awareness');
    const b = client('awareness');
    await Promise.all([synced(a), synced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#e03131' });
    const aId = a.doc.clientID;
    await waitUntil(
      () => (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user?.name === 'Ada',
      'awareness of Ada at b',
    );
    a.provider.disconnect();
    await waitUntil(() => !b.provider.awareness.getStates().has(aId), 'Ada removed at b');
  });

  it('answers query awareness with every known state', async () => {
    const a = client('query-awareness');
    await synced(a);
    a.provider.awareness.setLocalStateField('user', { name: 'Q' });
    await waitUntil(
      () => suite.server.app.rooms.peek('query-awareness')?.awareness.states().has(a.doc.clientID) ?? false,
      'server has state',
    );
    const raw = await openRaw(`${suite.server.wsUrl}/query-awareness`);
    raw.frames.length = 0;
    raw.ws.send(new Uint8Array([MessageType.queryAwareness]));
    await waitUntil(() => raw.frames.some((f) => f[0] === MessageType.awareness), 'awareness answer');
    raw.ws.close();
  });

  it('acknowledges commits only to clients that ask, counting write frames', async () => {
    const plain = await openRaw(`${suite.server.wsUrl}/acks`);
    const acking = await openRaw(`${suite.server.wsUrl}/acks?ack=1`);
    await waitUntil(() => plain.frames.length > 0 && acking.frames.length > 0, 'initial sync step 1');
    const frames = [updateFrameOf(textUpdate('one', 1001)), updateFrameOf(textUpdate('two', 1002))];
    for (const frame of frames) {
      expect(isWriteFrame(frame)).toBe(true);
      acking.ws.send(frame);
      plain.ws.send(frame);
    }
    const savedCounts = () =>
      acking.frames
        .filter((f) => f[0] === MessageType.saved)
        .map((f) => {
          const d = decoding.createDecoder(f);
          decoding.readVarUint(d);
          return readSaved(d);
        });
    await waitUntil(() => savedCounts().includes(2), 'saved ack for both writes');
    expect(Math.max(...savedCounts())).toBe(2);
    // By the time the ack arrived the writes were stored.
    const pad = await suite.server.app.store.getPad('acks');
    expect(pad?.lastSeq).toBeGreaterThanOrEqual(2);
    // The stock-protocol client never sees a message type it does not know.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(plain.frames.every((f) => frameKind(f).type <= MessageType.queryAwareness)).toBe(true);
    plain.ws.close();
    acking.ws.close();
  });

  it('stores each update with the author from the connection cookie, or an anonymous one without it', async () => {
    const cookie = 'a.cookieCookieCookieCook';
    const withCookie = new WebSocket(`${suite.server.wsUrl}/authors`, { headers: { Cookie: `gp_author=${cookie}` } });
    await new Promise((resolve) => withCookie.once('open', resolve));
    withCookie.send(updateFrameOf(textUpdate('by cookie', 77)));
    const anonymous = await openRaw(`${suite.server.wsUrl}/authors`);
    anonymous.ws.send(updateFrameOf(textUpdate('by a script', 78)));
    const rows = () =>
      suite.server.app.db!.prepare("SELECT author FROM updates WHERE pad_id = 'authors' ORDER BY seq").all() as { author: string }[];
    await waitUntil(() => rows().length === 2, 'both updates stored');
    const authors = rows().map((row) => row.author);
    expect(authors).toContain(cookie);
    expect(authors.find((author) => author !== cookie)).toMatch(/^anon\.[A-Za-z0-9_-]{22}$/);
    withCookie.close();
    anonymous.ws.close();
  });
});

describe('author profiles', () => {
  it('records the name and colour a connection shows, capped, under its own author id', async () => {
    const server = await startInProcess();
    try {
      const c = connectProvider(server.wsUrl, 'profiles');
      await synced(c);
      c.provider.awareness.setLocalStateField('user', { name: 'N'.repeat(500), color: '#123456' });
      await waitUntil(() => (server.app.db!.prepare('SELECT count(*) AS n FROM authors').get() as { n: number }).n === 1, 'author row');
      const row = server.app.db!.prepare('SELECT id, name, color FROM authors').get() as { id: string; name: string; color: string };
      expect(row.name).toBe('N'.repeat(64));
      expect(row.color).toBe('#123456');
      // A stock provider in Node sends no cookie: an anonymous author.
      expect(row.id).toMatch(/^anon\./);
      c.destroy();
    } finally {
      await server.close();
    }
  });
});
