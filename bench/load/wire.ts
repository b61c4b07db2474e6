/**
 * How the load generator speaks to each server. Gatherpad and the y-websocket reference server
 * speak the plain y-websocket protocol on `/ws/<pad>` and `/<pad>`; Hocuspocus multiplexes
 * documents on one socket, so every frame is prefixed with the document name, and a document
 * must be opened with an auth message first.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type ServerKind = 'gatherpad' | 'y-websocket' | 'hocuspocus';

export interface Wire {
  url(port: number, pad: string): string;
  /** Frames to send right after the socket opens, before sync step 1. */
  hello(pad: string): Uint8Array[];
  wrap(pad: string, frame: Uint8Array): Uint8Array;
  /** The y-websocket frame inside a received frame, or null for frames to ignore. */
  unwrap(frame: Uint8Array): Uint8Array | null;
}

const plain = (path: (pad: string) => string): Wire => ({
  url: (port, pad) => `ws://127.0.0.1:${port}${path(pad)}`,
  hello: () => [],
  wrap: (_pad, frame) => frame,
  unwrap: (frame) => frame,
});

const HOCUSPOCUS_AUTH = 2;
const HOCUSPOCUS_SYNC_REPLY = 4;

const hocuspocus: Wire = {
  url: (port) => `ws://127.0.0.1:${port}`,
  hello(pad) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, pad);
    encoding.writeVarUint(encoder, HOCUSPOCUS_AUTH);
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarString(encoder, 'bench');
    return [encoding.toUint8Array(encoder)];
  },
  wrap(pad, frame) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, pad);
    encoding.writeUint8Array(encoder, frame);
    return encoding.toUint8Array(encoder);
  },
  unwrap(frame) {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarString(decoder);
    const rest = frame.subarray(decoder.pos);
    if (rest[0] === HOCUSPOCUS_SYNC_REPLY) return Uint8Array.from([0, ...rest.subarray(1)]);
    return rest[0] === 0 || rest[0] === 1 ? rest : null;
  },
};

export const WIRES: Record<ServerKind, Wire> = {
  gatherpad: plain((pad) => `/ws/${pad}`),
  'y-websocket': plain((pad) => `/${pad}`),
  hocuspocus,
};
