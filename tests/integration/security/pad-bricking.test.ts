/**
 * A pad cannot be bricked (issue 23 item 12): writes to top-level types outside the pad's
 * schema are refused, deletions always pass (and a full pad takes writes again once they are
 * measured), and an admin can reset a pad filled before these rules, through the API.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CloseCode, SyncMessageType } from '../../../common/protocol.js';
import { openRaw, syncFrame, synced, updateFrameOf, waitUntil, type ProviderClient } from '../../helpers/clients.js';
import { notesText, readNotesText } from '../../helpers/notes-text.js';
import { useProviderSuite } from '../../helpers/provider-suite.js';

const ADMIN = 'pad-bricking-admin';
const CAP = 64 * 1024;

describe('pad bricking', () => {
  const suite = useProviderSuite({ ADMIN_TOKEN: ADMIN, MAX_PAD_BYTES: String(CAP), MAX_BYTES_PER_SECOND: String(CAP * 4) });

  function paragraph(doc: Y.Doc, text: string): void {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    doc.getXmlFragment('default').push([p]);
  }

  async function writes(padId: string, client: ProviderClient, text: string): Promise<void> {
    paragraph(client.doc, text);
    await waitUntil(
      () =>
        suite.server.app.rooms.peek(padId)?.currentDoc().getXmlFragment('default').toString().includes(text) === true &&
        suite.server.app.rooms.peek(padId)!.isDurable,
      `"${text}" stored`,
    );
  }

  it.each([
    ['a text', (doc: Y.Doc) => doc.getText('junk').insert(0, 'j'.repeat(1000))],
    ['a map', (doc: Y.Doc) => doc.getMap('junk').set('k', 'j'.repeat(1000))],
    ['an array', (doc: Y.Doc) => doc.getArray('junk').push(['j'.repeat(1000)])],
  ])("refuses %s outside the pad's top-level types, and the pad carries on", async (_kind, write) => {
    const padId = `foreign-${_kind.replace(/\W/g, '')}`;
    const raw = await openRaw(`${suite.server.wsUrl}/${padId}`);
    raw.ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
    const doc = new Y.Doc();
    write(doc);
    raw.ws.send(updateFrameOf(Y.encodeStateAsUpdate(doc)));
    const closed = await raw.closed;
    expect(closed.code).toBe(CloseCode.invalidPayload);
    expect(closed.reason).toMatch(/top-level type "junk"/);
    expect(suite.server.app.rooms.peek(padId)?.progress.lastSeq ?? 0).toBe(0);
    const honest = suite.client(padId);
    await synced(honest);
    await writes(padId, honest, 'notes still work');
  });

  it('closes with a reason cut to what a close frame holds when the refused name is long and not ASCII', async () => {
    const padId = 'foreign-long-name';
    const raw = await openRaw(`${suite.server.wsUrl}/${padId}`);
    raw.ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
    const doc = new Y.Doc();
    doc.getText('\u7d19'.repeat(60)).insert(0, 'j');
    raw.ws.send(updateFrameOf(Y.encodeStateAsUpdate(doc)));
    const closed = await raw.closed;
    expect(closed.code).toBe(CloseCode.invalidPayload);
    expect(closed.reason).toMatch(/^no top-level type "\u7d19+/);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    const honest = suite.client(padId);
    await synced(honest);
    await writes(padId, honest, 'the server carries on');
  });

  it('takes deletions on a full pad, and writes again once they are measured', async () => {
    const filler = await openRaw(`${suite.server.wsUrl}/full-pad`);
    filler.ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 12; i += 1) notesText(doc).insert(0, `${i}`.repeat(8 * 1024));
    for (const u of updates) filler.ws.send(updateFrameOf(u));
    const closed = await filler.closed;
    expect(closed.code).toBe(CloseCode.padFull);
    expect(closed.reason).toMatch(/The pad is full/);

    // Someone deletes the text: a deletion is always taken, even on a full pad.
    const cleaner = suite.client('full-pad');
    await synced(cleaner);
    const closes: number[] = [];
    cleaner.provider.on('connection-close', (event) => event && closes.push(event.code));
    const text = notesText(cleaner.doc);
    expect(text.length).toBeGreaterThan(0);
    text.delete(0, text.length);
    await waitUntil(
      () =>
        readNotesText(suite.server.app.rooms.peek('full-pad')!.currentDoc()) === '' && suite.server.app.rooms.peek('full-pad')!.isDurable,
      'deletion stored',
    );
    // The pad is measured afresh (a snapshot) and has room again.
    await waitUntil(() => suite.server.app.rooms.peek('full-pad')!.progress.storedBytes < CAP / 2, 'pad measured smaller', 15_000);
    await writes('full-pad', cleaner, 'room again');
    expect(closes).toEqual([]);
  });

  it('lets the admin reset a pad filled before the rules, and it takes writes again', async () => {
    // A pad bricked before the server refused foreign types: junk stored straight in its log.
    const padId = 'bricked-before';
    await suite.server.app.store.loadPad(padId);
    const junk = new Y.Doc();
    junk.getText('junk').insert(0, 'j'.repeat(CAP));
    paragraph(junk, 'the notes');
    await suite.server.app.store.appendUpdates([
      { padId, time: Date.now(), author: 'anon.attacker', data: Y.encodeStateAsUpdate(junk), claims: [] },
    ]);

    const writer = suite.client(padId);
    await synced(writer);
    const refused = new Promise<number>((resolve) => writer.provider.on('connection-close', (event) => event && resolve(event.code)));
    paragraph(writer.doc, 'refused while full');
    expect(await refused).toBe(CloseCode.padFull);
    writer.destroy();

    const reset = (headers: Record<string, string>, body?: unknown) =>
      fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/reset`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body ?? {}),
      });
    expect((await reset({})).status).toBe(401);
    expect((await reset({ Authorization: 'Bearer wrong' })).status).toBe(403);
    const res = await reset({ Authorization: `Bearer ${ADMIN}` });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { cleared: string[]; storedBytes: number };
    expect(answer.cleared).toEqual(['junk']);
    expect(answer.storedBytes).toBeLessThan(CAP / 4);

    const after = suite.client(padId);
    await synced(after);
    expect(after.doc.getXmlFragment('default').toString()).toContain('the notes');
    await writes(padId, after, 'writable again');

    // Scope "all" empties the notes too.
    const all = await reset({ Authorization: `Bearer ${ADMIN}` }, { scope: 'all' });
    expect(((await all.json()) as { cleared: string[] }).cleared).toContain('default');
    await waitUntil(() => after.doc.getXmlFragment('default').length === 0, 'notes emptied for the connected client');
  });
});
