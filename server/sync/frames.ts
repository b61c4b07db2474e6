/**
 * Encoders for the frames the server sends. Each frame is built once and the same buffer goes
 * to every recipient.
 */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MessageType, SyncMessageType } from '../../common/protocol.js';

function syncFrame(subtype: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
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
