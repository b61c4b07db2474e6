/**
 * Client-id binding must not deny service (issue 23 items 10 and 11): an id read from awareness
 * cannot be taken before its owner's first write, and a stock provider without the author
 * cookie keeps writing across reconnects and server restarts. A real server in a child process
 * (restarted on the same port and data), stock y-websocket providers, raw sockets for attackers.
 */
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, MessageType, SyncMessageType } from '../../../common/protocol.js';
import {
  awarenessClientsOf,
  connectProvider,
  openRaw,
  syncFrame,
  synced,
  updateFrameOf,
  waitUntil,
  type ProviderClient,
} from '../../helpers/clients.js';
import { startServer, tempDataDir, type ChildServer } from '../../helpers/server.js';

let server: ChildServer;
const dataDir = tempDataDir();
const clients: ProviderClient[] = [];

beforeAll(async () => {
  server = await startServer({ dataDir });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.stop();
});

/** A `ws` WebSocket that sends `cookie`, as a browser sends its author cookie. */
function withCookie(cookie: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { Cookie: cookie } });
    }
  } as unknown as typeof WebSocket;
}

function provider(padId: string, cookie?: string): ProviderClient {
  const c = connectProvider(server.wsUrl, padId, cookie ? { WebSocketPolyfill: withCookie(cookie) } : {});
  clients.push(c);
  return c;
}

function paragraph(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('default').push([p]);
}

/** The pad's stored content, as a fresh client reads it. */
async function storedText(padId: string): Promise<string> {
  const reader = connectProvider(server.wsUrl, padId);
  try {
    await synced(reader);
    return reader.doc.getXmlFragment('default').toString();
  } finally {
    reader.destroy();
  }
}

async function waitForStored(padId: string, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await storedText(padId)).includes(text)) {
    if (Date.now() > deadline) throw new Error(`"${text}" never stored in ${padId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Close codes a provider's sockets got from the server. */
function closeCodes(client: ProviderClient): number[] {
  const codes: number[] = [];
  client.provider.on('connection-close', (event) => {
    if (event) codes.push(event.code);
  });
  return codes;
}

describe('client ids read from awareness (issue 23 item 10)', () => {
  it('cannot be taken before the owner writes: the thief is closed, the owner writes on', async () => {
    const victim = provider('claim-victim', 'gp_author=a.victimvictimvictimvict');
    await synced(victim);
    victim.provider.awareness.setLocalStateField('user', { name: 'Victim', color: '#1971c2' });
    const victimCloses = closeCodes(victim);

    // The thief reads the victim's client id from awareness...
    const thief = await openRaw(`${server.wsUrl}/claim-victim`);
    thief.ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
    await waitUntil(
      () => thief.frames.some((f) => f[0] === MessageType.awareness && awarenessClientsOf(f).includes(victim.doc.clientID)),
      'victim seen in awareness',
    );
    // ...and writes under it, far ahead of its clock so the victim's Yjs does not notice and change ids.
    const forged = new Y.Doc();
    forged.clientID = victim.doc.clientID;
    for (let i = 0; i < 5; i += 1) forged.getXmlFragment('default').push([new Y.XmlElement('paragraph')]);
    const ahead = Y.encodeStateAsUpdate(forged, encodeClock(victim.doc.clientID, 3));
    thief.ws.send(updateFrameOf(ahead));
    const closed = await Promise.race([
      thief.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the thief was not closed')), 10_000)),
    ]);
    expect(closed.code).toBe(CloseCode.policyViolation);
    expect(closed.reason).toMatch(/client id/);

    paragraph(victim.doc, 'the victim writes');
    await waitForStored('claim-victim', 'the victim writes');
    victim.provider.disconnect();
    victim.provider.connect();
    await waitUntil(() => victim.provider.synced, 'victim back');
    paragraph(victim.doc, 'and again after reconnecting');
    await waitForStored('claim-victim', 'and again after reconnecting');
    expect(victimCloses.filter((code) => code === CloseCode.policyViolation)).toEqual([]);
  });
});

describe('clients without the author cookie (issue 23 item 11)', () => {
  it('keep write access across reconnects and a server restart', async () => {
    const script = provider('cookieless');
    await synced(script);
    const closes = closeCodes(script);
    paragraph(script.doc, 'first connection');
    await waitForStored('cookieless', 'first connection');

    script.provider.disconnect();
    script.provider.connect();
    await waitUntil(() => script.provider.synced, 'reconnected');
    paragraph(script.doc, 'after a reconnect');
    await waitForStored('cookieless', 'after a reconnect');

    const port = server.port;
    await server.stop();
    server = await startServer({ dataDir, port });
    await waitUntil(() => script.provider.wsconnected && script.provider.synced, 'reconnected after the restart', 20_000);
    paragraph(script.doc, 'after a restart');
    await waitForStored('cookieless', 'after a restart');
    expect(closes.filter((code) => code === CloseCode.policyViolation)).toEqual([]);
  }, 60_000);
});

/** A state vector saying `client` is at `clock`. */
function encodeClock(client: number, clock: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  return encoding.toUint8Array(encoder);
}
