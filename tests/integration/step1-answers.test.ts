/**
 * Sync step 1 answers are reused while the pad is unchanged (issue 23 item 4): a client asking
 * the same again and again costs one encoding, not one per frame; any change encodes afresh.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { MessageType, SyncMessageType } from '../../common/protocol.js';
import type { FrameSender, PacedWork } from '../../server/sync/message-receiver.js';
import { receiveFrame } from '../../server/sync/message-receiver.js';
import { syncFrame, updateFrameOf, waitUntil } from '../helpers/clients.js';
import { useProviderSuite } from '../helpers/provider-suite.js';

class RecordingPeer implements FrameSender {
  static next = 3_000_000;
  readonly id = RecordingPeer.next++;
  readonly author = 'a.recording';
  readonly origin = Object.freeze({ source: 'client' as const, connectionId: this.id, author: this.author });
  readonly wantsAcks = false;
  readonly canWrite = true;
  readonly awarenessClients = new Set<number>();
  readonly sent: Uint8Array[] = [];
  writesReceived = 0;
  send(frame: Uint8Array): void {
    this.sent.push(frame);
  }
  sendShared(): void {}
  close(): void {}
  admitWrite(): void {}
  writeDropped(): void {}
  handshakeDone(): void {}
  admitSyncStep1(): void {}
  admitPresence(): void {}
  paced(_kind: PacedWork, task: () => void): void {
    task();
  }
  step2Answers(): Uint8Array[] {
    return this.sent.filter((f) => f[0] === MessageType.sync && f[1] === SyncMessageType.step2);
  }
}

describe('sync step 1 answers', () => {
  const suite = useProviderSuite();

  it('answers a repeated state vector with the same frame until the pad changes', async () => {
    const room = await suite.server.app.rooms.get('step1-answers');
    const writer = new Y.Doc();
    writer.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
    const peer = new RecordingPeer();
    room.join(peer);
    receiveFrame(room, peer, updateFrameOf(Y.encodeStateAsUpdate(writer)));
    await waitUntil(() => room.isDurable, 'write committed');

    const ask = syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc()));
    for (let i = 0; i < 3; i += 1) receiveFrame(room, peer, ask);
    const [first, second, third] = peer.step2Answers();
    expect(second).toBe(first);
    expect(third).toBe(first);

    writer.getXmlFragment('default').insert(1, [new Y.XmlElement('paragraph')]);
    receiveFrame(room, peer, updateFrameOf(Y.encodeStateAsUpdate(writer, Y.encodeStateVector(room.currentDoc()))));
    await waitUntil(() => room.isDurable, 'second write committed');
    receiveFrame(room, peer, ask);
    const fresh = peer.step2Answers()[3];
    expect(fresh).not.toBe(first);
    const reader = new Y.Doc();
    const decoder = decoding.createDecoder(fresh);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    Y.applyUpdate(reader, decoding.readVarUint8Array(decoder));
    expect(reader.getXmlFragment('default').length).toBe(2);
    room.leave(peer);
  });
});
