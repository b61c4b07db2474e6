import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { FanOut, intervalFor } from '../../server/sync/fan-out.js';
import type { RoomPeer } from '../../server/sync/room.js';

function peers(n: number): { set: Set<RoomPeer>; received: Uint8Array[][] } {
  const set = new Set<RoomPeer>();
  const received: Uint8Array[][] = [];
  for (let i = 0; i < n; i += 1) {
    const inbox: Uint8Array[] = [];
    received.push(inbox);
    set.add({ id: i, author: 'a', origin: { source: 'store' }, wantsAcks: false, canWrite: true, awarenessClients: new Set(), send: (f) => inbox.push(f), sendShared: (shared) => inbox.push(...shared.frames), close: () => undefined });
  }
  return { set, received };
}

function textUpdate(client: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('fan-out batching', () => {
  it('sends at once to small rooms, skipping a lone sender', () => {
    const { set, received } = peers(3);
    const sender = [...set][0];
    const fanOut = new FanOut({ peers: set, updateFrame: (u) => u, awarenessFrame: () => new Uint8Array([1]) });
    fanOut.addUpdate(textUpdate(1, 'a'), sender);
    expect(received.map((inbox) => inbox.length)).toEqual([0, 1, 1]);
  });

  it('sends one commit\'s writes to a small room as one frame', () => {
    const { set, received } = peers(4);
    const [a, b] = [...set];
    const fanOut = new FanOut({ peers: set, updateFrame: (u) => u, awarenessFrame: () => new Uint8Array([1]) });
    fanOut.addUpdates([
      { update: textUpdate(1, 'one'), peer: a },
      { update: null, peer: a },
      { update: textUpdate(2, 'two'), peer: b },
    ]);
    expect(received.map((inbox) => inbox.length)).toEqual([1, 1, 1, 1]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, received[3][0]);
    expect(doc.getText('t').length).toBe(6);
  });

  it('merges updates within the interval into one frame for large rooms', async () => {
    const { set, received } = peers(400);
    const fanOut = new FanOut({ peers: set, updateFrame: (u) => u, awarenessFrame: () => new Uint8Array([1]) });
    expect(intervalFor(400)).toBe(10);
    fanOut.flush();
    for (let i = 0; i < 20; i += 1) fanOut.addUpdate(textUpdate(100 + i, `u${i}`), null);
    fanOut.addAwareness([1, 2, 3]);
    expect(received[0].length).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(received[0].length).toBe(2);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, received[0][0]);
    expect(doc.getText('t').length).toBe(20 * 2 + 10);
    expect(received.every((inbox) => inbox[0] === received[0][0])).toBe(true);
    fanOut.dispose();
  });

  it('caps the interval at 50 ms', () => {
    expect(intervalFor(10)).toBe(0);
    expect(intervalFor(64)).toBe(0);
    expect(intervalFor(4000)).toBe(50);
  });
});
