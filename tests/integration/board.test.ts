/**
 * The board over real sockets: a viewer's board edit (stock y-websocket provider on the
 * read-only id) is dropped by the server while the editor's edits go through; recaps list the
 * sticky notes by colour; board.json now and as of a revision.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readBoard } from '../../common/board/board-doc.js';
import { MessageType } from '../../common/protocol.js';
import { BoardModel } from '../../client/src/board/board-model.js';
import { ADMIN_TOKEN, admin } from '../helpers/events.js';
import { connectProvider, synced, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

let server: InProcessServer;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  server = await startInProcess({ ADMIN_TOKEN, UNLOAD_DELAY_MS: '200' });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
});

async function open(padId: string): Promise<ProviderClient & { board: BoardModel }> {
  const client = connectProvider(server.wsUrl, padId);
  clients.push(client);
  await synced(client);
  return { ...client, board: new BoardModel(client.doc) };
}

/** What the server has stored: a fresh provider's view of the board after its first sync. */
async function storedBoard(padId: string) {
  const fresh = await open(padId);
  const shapes = readBoard(fresh.doc);
  fresh.destroy();
  return shapes;
}

async function json(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.baseUrl}${path}`);
  return { status: res.status, body: await res.json() };
}

describe('board and viewers', () => {
  it("drops a viewer's board edits and keeps the editor's", async () => {
    const padId = 'board-viewer';
    const editor = await open(padId);
    const sticky = editor.board.create({ type: 'sticky', x: 10, y: 20, w: 200, h: 200, color: 'yellow', text: 'Keep me' });
    await waitUntil(() => editor.provider.synced, 'editor synced');
    const meta = await waitForPad(padId);
    const readOnlyId: string = meta.readOnlyId;
    expect(readOnlyId).toMatch(/^r\./);

    // A stock provider on the read-only id, recording the server's auth messages.
    const doc = new Y.Doc();
    const viewer = new WebsocketProvider(server.wsUrl, readOnlyId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      connect: false,
    });
    clients.push({ destroy: () => viewer.destroy() });
    const denied: string[] = [];
    viewer.messageHandlers[MessageType.auth] = (_encoder, decoder) =>
      authProtocol.readAuthMessage(decoder, doc, (_d, reason) => denied.push(reason));
    viewer.connect();
    await new Promise<void>((resolve) => viewer.once('sync', () => resolve()));
    const viewerBoard = new BoardModel(doc);
    await waitUntil(() => viewerBoard.get(sticky)?.text === 'Keep me', 'viewer sees the sticky');
    expect(denied.length).toBeGreaterThan(0);

    // The viewer moves the sticky, recolours it, edits its text and adds a shape of its own.
    viewerBoard.update(sticky, { x: 999, color: 'pink' });
    viewerBoard.text(sticky)?.insert(0, 'HACKED ');
    const intruder = viewerBoard.create({ type: 'rect', x: 0, y: 0, w: 50, h: 50 });
    await processedByServer(viewer);

    // Then the editor changes the board: that change must arrive, the viewer's must not.
    editor.board.update(sticky, { y: 77 });
    await waitUntil(() => viewerBoard.get(sticky)?.y === 77, 'viewer receives the editor change');
    const stored = await storedBoard(padId);
    expect(stored.map((s) => s.id)).toEqual([sticky]);
    expect(stored[0]).toMatchObject({ x: 10, y: 77, color: 'yellow', text: 'Keep me' });
    expect(stored.find((s) => s.id === intruder)).toBeUndefined();
    await server.app.rooms.use(padId, (room) => expect(readBoard(room.currentDoc()).map((s) => s.id)).toEqual([sticky]));
  });
});

describe('board in recaps and the API', () => {
  it('lists sticky notes by colour in the pad and event recaps', async () => {
    expect(
      (await admin(server.baseUrl, 'PUT', '/api/v1/events/brd', { name: 'Board PTG', teams: [{ slug: 'ui', name: 'UI' }] })).status,
    ).toBe(201);
    const padId = 'brd-ui';
    const editor = await open(padId);
    editor.board.create({ type: 'sticky', x: 0, y: 300, color: 'pink', text: 'Ship *dark* mode' });
    editor.board.create({ type: 'sticky', x: 0, y: 0, color: 'pink', text: 'Fix login\nfirst' });
    editor.board.create({ type: 'sticky', x: 0, y: 0, color: 'green', text: 'Docs are good' });
    editor.board.create({ type: 'rect', x: 0, y: 0, w: 10, h: 10, text: 'not a note' });
    await waitForPad(padId);
    await waitUntil(() => editor.provider.synced, 'synced');
    let recap = '';
    const recapHasLastNote = async () => {
      recap = await (await fetch(`${server.baseUrl}/api/v1/pads/${padId}/recap.md`)).text();
      return recap.includes('Docs are good');
    };
    await waitUntil(recapHasLastNote, () => `the last note in the recap:\n${recap}`, 2_500, 25);
    const board = recap.slice(recap.indexOf('## Board'));
    expect(board).toBe(
      ['## Board', '### Pink notes', '- Fix login / first\n- Ship \\*dark\\* mode', '### Green notes', '- Docs are good\n'].join('\n\n'),
    );
    expect(recap).not.toContain('not a note');

    const eventRecap = await (await fetch(`${server.baseUrl}/api/v1/events/brd/recap.md`)).text();
    expect(eventRecap).toContain('### Board\n\n#### Pink notes\n\n- Fix login / first\n- Ship \\*dark\\* mode');
  });

  it('serves the board now and as of a revision', async () => {
    const padId = 'board-history';
    const editor = await open(padId);
    const first = editor.board.create({ type: 'sticky', x: 1, y: 2, text: 'First' });
    await waitForPad(padId);
    const now = await waitForBoard(padId, 1);
    expect(now[0]).toMatchObject({ id: first, type: 'sticky', x: 1, y: 2, text: 'First', color: 'yellow' });

    const revisions = (await json(`/api/v1/pads/${padId}/revisions`)).body.revisions as { rev: number }[];
    expect(revisions.length).toBeGreaterThan(0);
    const rev = revisions[revisions.length - 1].rev;
    // Another author (a new connection without a cookie), so a new revision.
    const other = await open(padId);
    other.board.create({ type: 'stroke', points: [0, 0, 10, 10], color: '#e03131', width: 4 });
    await waitForBoard(padId, 2);
    const old = await json(`/api/v1/pads/${padId}/revisions/${rev}/board.json`);
    expect(old.status).toBe(200);
    expect(old.body.shapes.map((s: { id: string }) => s.id)).toEqual([first]);
    expect((await json(`/api/v1/pads/${padId}/revisions/99999/board.json`)).status).toBe(404);
    expect((await json('/api/v1/pads/no-such-board/board.json')).status).toBe(404);
    expect((await json('/api/v1/pads/Bad%20Id!/board.json')).status).toBe(400);
  });
});

/** Waits until the pad exists on the server; returns its metadata. */
async function waitForPad(padId: string): Promise<any> {
  let res: Awaited<ReturnType<typeof json>> | undefined;
  const padFound = async () => {
    res = await json(`/api/v1/pads/${padId}`);
    return res.status !== 404;
  };
  await waitUntil(padFound, `pad ${padId} on the server`, 5_000, 25);
  expect(res?.status).toBe(200);
  return res?.body;
}

async function waitForBoard(padId: string, count: number): Promise<any[]> {
  let shapes: any[] = [];
  const shapesStored = async () => {
    shapes = (await json(`/api/v1/pads/${padId}/board.json`)).body.shapes ?? [];
    return shapes.length >= count;
  };
  await waitUntil(shapesStored, () => `${count} shapes on ${padId}'s board, saw ${shapes.length}`, 5_000, 25);
  expect(shapes).toHaveLength(count);
  return shapes;
}

/**
 * Resolves once the server has processed every frame this provider sent before: frames on one
 * socket are handled in order, so the answer to a sync step 1 sent now comes after them.
 */
function processedByServer(provider: WebsocketProvider): Promise<void> {
  const ws = provider.ws as unknown as WebSocket;
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) === MessageType.sync && decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep2) {
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    syncProtocol.writeSyncStep1(encoder, provider.doc);
    ws.send(encoding.toUint8Array(encoder));
  });
}
