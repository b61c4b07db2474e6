/**
 * Pad chat on the server, through stock y-websocket providers: messages written by an editor
 * reach everyone and are stored; a viewer (read-only id, or a pad with an edit key and no key)
 * can read the chat but its chat writes never reach the room or the store; a message over the
 * length cap is removed by the chat guard while valid ones stay.
 */
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_FIELD, MAX_CHAT_LENGTH, readChatMessage, type ChatMessage } from '../../common/chat.js';
import { randomPadId } from '../../common/pad-id.js';
import { MessageType, SyncMessageType } from '../../common/protocol.js';
import { connectProvider, synced, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

const ADMIN_TOKEN = 'chat-test-admin-token';

function message(doc: Y.Doc, author: string, text: string): ChatMessage {
  return {
    id: `${author}-${Math.random().toString(36).slice(2)}`,
    author,
    color: '#1c7ed6',
    text,
    time: Date.now(),
    clientID: doc.clientID,
  };
}

const chatTexts = (doc: Y.Doc): string[] =>
  doc
    .getArray<unknown>(CHAT_FIELD)
    .toArray()
    .map((m) => (m as ChatMessage).text);

/**
 * Resolves once the server has processed everything this client sent so far: a sync step 1
 * sent now is answered (step 2) only after the frames before it on the same socket.
 */
function roundTrip(client: ProviderClient): Promise<void> {
  const ws = client.provider.ws as unknown as WebSocket;
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const bytes = new Uint8Array(data);
      if (bytes[0] === MessageType.sync && bytes[1] === SyncMessageType.step2) {
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, SyncMessageType.step1);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()));
    ws.send(encoding.toUint8Array(encoder));
  });
}

describe('pad chat on the server', () => {
  let server: InProcessServer;
  const clients: ProviderClient[] = [];

  beforeAll(async () => {
    server = await startInProcess({ ADMIN_TOKEN });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server.close();
  });

  async function connect(room: string, params?: Record<string, string>): Promise<ProviderClient> {
    const client = connectProvider(server.wsUrl, room, { params });
    clients.push(client);
    await synced(client);
    return client;
  }

  const roomChat = (padId: string) => server.app.rooms.use(padId, (room) => chatTexts(room.currentDoc()));

  it('carries messages between editors and stores them; a read-only viewer reads but cannot write', async () => {
    const padId = `chat-${randomPadId()}`;
    const ada = await connect(padId);
    ada.doc.getArray(CHAT_FIELD).push([message(ada.doc, 'Ada', 'Hello room')]);
    const grace = await connect(padId);
    await waitUntil(() => chatTexts(grace.doc).includes('Hello room'), 'Grace sees Ada');

    const meta = (await (await fetch(`${server.baseUrl}/api/v1/pads/${padId}`)).json()) as { readOnlyId: string };
    const viewer = await connect(meta.readOnlyId);
    expect(chatTexts(viewer.doc)).toEqual(['Hello room']);

    viewer.doc.getArray(CHAT_FIELD).push([message(viewer.doc, 'Viewer', 'I should not be stored')]);
    await roundTrip(viewer);
    // And Ada's next message arrives at the viewer, so the viewer is still live.
    ada.doc.getArray(CHAT_FIELD).push([message(ada.doc, 'Ada', 'Second')]);
    await waitUntil(() => chatTexts(viewer.doc).includes('Second'), 'viewer sees live chat');

    expect(await roomChat(padId)).toEqual(['Hello room', 'Second']);
    await waitUntil(() => chatTexts(grace.doc).length === 2, 'Grace sees the second message');
    expect(chatTexts(grace.doc)).toEqual(['Hello room', 'Second']);
    const newcomer = await connect(padId);
    expect(chatTexts(newcomer.doc)).toEqual(['Hello room', 'Second']);
  });

  it('drops chat writes from a connection without the pad edit key, and takes them with it', async () => {
    const padId = `chatkey-${randomPadId()}`;
    const res = await fetch(`${server.baseUrl}/api/v1/pads/${padId}/edit-key`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: 'chat-secret' }),
    });
    expect(res.status).toBe(204);
    const keyless = await connect(padId);
    keyless.doc.getArray(CHAT_FIELD).push([message(keyless.doc, 'Keyless', 'dropped')]);
    await roundTrip(keyless);
    expect(await roomChat(padId)).toEqual([]);

    const keyed = await connect(padId, { token: 'chat-secret' });
    keyed.doc.getArray(CHAT_FIELD).push([message(keyed.doc, 'Keyed', 'kept')]);
    await waitUntil(() => chatTexts(keyless.doc).includes('kept'), 'the keyless reader sees the keyed message');
    expect(await roomChat(padId)).toEqual(['kept']);
  });

  it('removes messages over the length cap or malformed, and keeps the valid ones', async () => {
    const padId = `chatcap-${randomPadId()}`;
    const ada = await connect(padId);
    const chat = ada.doc.getArray<unknown>(CHAT_FIELD);
    chat.push([message(ada.doc, 'Ada', 'fine')]);
    chat.push([message(ada.doc, 'Ada', 'x'.repeat(MAX_CHAT_LENGTH + 1))]);
    chat.push([{ text: 42 }]);
    chat.push([message(ada.doc, 'Ada', 'y'.repeat(MAX_CHAT_LENGTH))]);
    await waitUntil(() => chat.length === 2, 'the guard removed the bad entries on the client too');
    expect(chat.toArray().map((m) => readChatMessage(m)?.text.length)).toEqual([4, MAX_CHAT_LENGTH]);
    expect((await roomChat(padId)).map((t) => t.length)).toEqual([4, MAX_CHAT_LENGTH]);
    const newcomer = await connect(padId);
    expect(chatTexts(newcomer.doc).map((t) => t.length)).toEqual([4, MAX_CHAT_LENGTH]);
  });
});
