/**
 * The messages processes exchange on a pad's channel, binary (lib0 encoding), each a
 * `writeX`/`readX` pair:
 *
 *   varUint type, varString nodeId, then by type:
 *   0 update:          varUint seq, varString author, varUint n, n x varUint claim, varUint8Array update
 *   1 awareness:       varUint8Array y-protocols awareness update
 *   2 awareness query: (nothing)
 *   3 head:            varUint seq
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { ClusterUpdate } from '../sync/cluster-bus.js';

export const ClusterMessageType = { update: 0, awareness: 1, awarenessQuery: 2, head: 3 } as const;

export type ClusterMessage =
  | { type: typeof ClusterMessageType.update; nodeId: string; update: Omit<ClusterUpdate, 'padId'> }
  | { type: typeof ClusterMessageType.awareness; nodeId: string; update: Uint8Array }
  | { type: typeof ClusterMessageType.awarenessQuery; nodeId: string }
  | { type: typeof ClusterMessageType.head; nodeId: string; seq: number };

export function writeClusterMessage(message: ClusterMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, message.type);
  encoding.writeVarString(encoder, message.nodeId);
  switch (message.type) {
    case ClusterMessageType.update: {
      const u = message.update;
      encoding.writeVarUint(encoder, u.seq);
      encoding.writeVarString(encoder, u.author);
      encoding.writeVarUint(encoder, u.claims.length);
      for (const claim of u.claims) encoding.writeVarUint(encoder, claim);
      encoding.writeVarUint8Array(encoder, u.update);
      break;
    }
    case ClusterMessageType.awareness:
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    case ClusterMessageType.awarenessQuery:
      break;
    case ClusterMessageType.head:
      encoding.writeVarUint(encoder, message.seq);
      break;
    default:
      throw new RangeError(`unknown cluster message type ${(message as { type: unknown }).type}`);
  }
  return encoding.toUint8Array(encoder);
}

/** Throws on a malformed message (only other Gatherpad processes publish on these channels). */
export function readClusterMessage(data: Uint8Array): ClusterMessage {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  const nodeId = decoding.readVarString(decoder);
  switch (type) {
    case ClusterMessageType.update: {
      const seq = decoding.readVarUint(decoder);
      const author = decoding.readVarString(decoder);
      const count = decoding.readVarUint(decoder);
      if (count > 10_000) throw new RangeError('too many claims in a cluster update');
      const claims: number[] = [];
      for (let i = 0; i < count; i += 1) claims.push(decoding.readVarUint(decoder));
      return { type, nodeId, update: { seq, author, claims, update: decoding.readVarUint8Array(decoder) } };
    }
    case ClusterMessageType.awareness:
      return { type, nodeId, update: decoding.readVarUint8Array(decoder) };
    case ClusterMessageType.awarenessQuery:
      return { type, nodeId };
    case ClusterMessageType.head:
      return { type, nodeId, seq: decoding.readVarUint(decoder) };
    default:
      throw new RangeError(`unknown cluster message type ${type}`);
  }
}
