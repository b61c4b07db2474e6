import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FanOut, intervalFor } from '../../server/sync/fan-out.js';
import type { RoomPeer } from '../../server/sync/room-peer.js';

/** Fake peers recording the frames they get and how many writes carried them. */
function peers(n: number): { set: Set<RoomPeer>; received: Uint8Array[][]; writes: number[] } {
  const set = new Set<RoomPeer>();
  const received: Uint8Array[][] = [];
  const writes: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const inbox: Uint8Array[] = [];
    received.push(inbox);
    writes.push(0);
    const wrote = () => (writes[i] += 1);
    set.add({
      id: i,
      author: 'a',
      origin: { source: 'store' },
      wantsAcks: false,
      canWrite: true,
      awarenessClients: new Set(),
      send: (f) => (wrote(), inbox.push(f)),
      sendShared: (shared) => (wrote(), inbox.push(...shared.frames)),
      close: () => undefined,
    });
  }
  return { set, received, writes };
}

function textUpdate(client: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('fan-out batching', () => {
  afterEach(() => vi.useRealTimers());

  it('sends at once to small rooms, skipping a lone sender', () => {
    const { set, received } = peers(3);
    const sender = [...set][0];
    const fanOut = new FanOut({ peers: set, updateFrame: (u) => u, awarenessFrame: () => new Uint8Array([1]) });
    fanOut.addUpdate(textUpdate(1, 'a'), sender);
    expect(received.map((inbox) => inbox.length)).toEqual([0, 1, 1]);
  });

  it("sends one commit's writes to a small room in one write, a frame each, unmerged", () => {
    const { set, received, writes } = peers(4);
    const [a, b] = [...set];
    const sent: Uint8Array[] = [];
    const fanOut = new FanOut({
      peers: set,
      updateFrame: (u) => u,
      sentUpdate: (f) => sent.push(f),
      awarenessFrame: () => new Uint8Array([1]),
    });
    const one = textUpdate(1, 'one');
    const two = textUpdate(2, 'two');
    fanOut.addUpdates([
      { update: one, peer: a },
      { update: null, peer: a },
      { update: two, peer: b },
    ]);
    expect(writes).toEqual([1, 1, 1, 1]);
    expect(received[3]).toEqual([one, two]);
    expect(sent).toEqual([one, two]);
    const doc = new Y.Doc();
    for (const frame of received[3]) Y.applyUpdate(doc, frame);
    expect(doc.getText('t').length).toBe(6);
  });

  it('merges updates within the interval into one frame for large rooms', () => {
    // Fake time: on a busy machine, making the 20 updates could take longer than the interval.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { set, received } = peers(400);
    const fanOut = new FanOut({ peers: set, updateFrame: (u) => u, awarenessFrame: () => new Uint8Array([1]) });
    expect(intervalFor(400)).toBe(10);
    fanOut.flush();
    for (let i = 0; i < 20; i += 1) fanOut.addUpdate(textUpdate(100 + i, `u${i}`), null);
    fanOut.addAwareness([1, 2, 3]);
    vi.advanceTimersByTime(9);
    expect(received[0].length).toBe(0);
    vi.advanceTimersByTime(1);
    expect(received[0].length).toBe(2);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, received[0][0]);
    expect(doc.getText('t').length).toBe(20 * 2 + 10);
    expect(received.every((inbox) => inbox[0] === received[0][0])).toBe(true);
    fanOut.dispose();
  });

  describe('a due batch and writes still being committed', () => {
    function largeRoom() {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const room = peers(400);
      const state = { awaiting: false, commitSoonCalls: 0 };
      const fanOut = new FanOut({
        peers: room.set,
        updateFrame: (u) => u,
        awarenessFrame: () => new Uint8Array([1]),
        awaitingCommit: () => state.awaiting,
        commitSoon: () => void (state.commitSoonCalls += 1),
      });
      fanOut.flush();
      return { ...room, fanOut, state };
    }

    it('waits for the commit and sends its update in the same batch', () => {
      const { fanOut, state, received, writes } = largeRoom();
      fanOut.addUpdate(textUpdate(1, 'early'), null);
      state.awaiting = true;
      vi.advanceTimersByTime(intervalFor(400) + 5);
      expect(received[0]).toEqual([]);
      expect(state.commitSoonCalls).toBe(1);
      state.awaiting = false;
      fanOut.addUpdate(textUpdate(2, 'late'), null);
      expect(writes[0]).toBe(1);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, received[0][0]);
      expect(doc.getText('t').length).toBe('early'.length + 'late'.length);
      fanOut.dispose();
    });

    it('sends without the commit once it has waited 10 ms', () => {
      const { fanOut, state, received } = largeRoom();
      fanOut.addUpdate(textUpdate(1, 'early'), null);
      state.awaiting = true;
      vi.advanceTimersByTime(intervalFor(400) + 9);
      expect(received[0]).toEqual([]);
      vi.advanceTimersByTime(2);
      expect(received[0].length).toBe(1);
      fanOut.dispose();
    });
  });

  it('caps the interval at 50 ms', () => {
    expect(intervalFor(10)).toBe(0);
    expect(intervalFor(64)).toBe(0);
    expect(intervalFor(4000)).toBe(50);
  });
});
