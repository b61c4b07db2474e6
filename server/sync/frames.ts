/**
 * Encoders for the frames the server sends. Each frame is built once and the same buffer goes
 * to every recipient.
 */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MessageType, SyncMessageType } from '../../common/protocol.js';

/**
 * `[sync, subtype, varUint8Array(payload)]` in one allocation of its exact size (a lib0 encoder
 * allocates a buffer to grow into, then copies out): one per committed update under load.
 */
function syncFrame(subtype: number, payload: Uint8Array): Uint8Array {
  let lengthBytes = 1;
  for (let rest = payload.length >>> 7; rest > 0; rest >>>= 7) lengthBytes += 1;
  const frame = new Uint8Array(2 + lengthBytes + payload.length);
  frame[0] = MessageType.sync;
  frame[1] = subtype;
  let at = 2;
  let length = payload.length;
  while (length > 0x7f) {
    frame[at++] = 0x80 | (length & 0x7f);
    length >>>= 7;
  }
  frame[at++] = length;
  frame.set(payload, at);
  return frame;
}

export function syncStep1Frame(doc: Y.Doc): Uint8Array {
  return syncFrame(SyncMessageType.step1, Y.encodeStateVector(doc));
}

export function syncStep2Frame(update: Uint8Array): Uint8Array {
  return syncFrame(SyncMessageType.step2, update);
}

export function updateFrame(update: Uint8Array): Uint8Array {
  return syncFrame(SyncMessageType.update, update);
}

export function awarenessFrame(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}
