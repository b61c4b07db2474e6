/**
 * Checks an untrusted Yjs update (v1 encoding) before it reaches `Y.applyUpdate`, with work
 * bounded by the update's size: every declared count must fit in the bytes that remain, and
 * every clock and length must stay below 2^31, so a crafted update cannot make Yjs allocate
 * or loop far beyond what its bytes describe (the decoder bombs of yjs issue 687).
 *
 * Items that name a top-level type must name one of the pad's (`PAD_TOP_LEVEL_NAMES`): a type
 * no part of the app reads could otherwise grow a pad to its size cap unseen, where no one can
 * delete it. (Items placed by their neighbours inherit the type of those, which got here the
 * same way.)
 *
 * Returns the clock range each client's structs cover, which the room uses to bind client ids
 * to authors. Throws `SocketCloseError` (1007) with what it found.
 *
 * The layout follows yjs/src/utils/encoding.js (readClientsStructRefs, readDeleteSet) and
 * UpdateDecoderV1.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { PAD_TOP_LEVEL_NAMES } from '../../common/pad-schema.js';
import { CloseCode, CloseReason } from '../../common/protocol.js';
import { SocketCloseError } from './close-error.js';

const invalid = (reason: string) => new SocketCloseError(CloseCode.invalidPayload, reason);

/** Largest clock or clock + length accepted; real documents stay far below. */
const MAX_CLOCK = 2 ** 31 - 1;
const MAX_ANY_DEPTH = 64;

export interface UpdateShape {
  /** client id -> [first clock, end clock) of the structs the update carries for it. */
  structs: Map<number, { from: number; to: number }>;
}

const BITS5 = 31;
const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;

export function inspectUpdate(update: Uint8Array): UpdateShape {
  const decoder = decoding.createDecoder(update);
  const remaining = () => decoder.arr.length - decoder.pos;
  const count = (what: string): number => {
    const n = decoding.readVarUint(decoder);
    if (n > remaining()) throw invalid(CloseReason.countExceedsUpdate(what, n));
    return n;
  };
  const clockValue = (value: number, what: string): number => {
    if (value > MAX_CLOCK) throw invalid(CloseReason.outOfRange(what));
    return value;
  };
  const structs = new Map<number, { from: number; to: number }>();
  try {
    const numClients = count('client');
    for (let c = 0; c < numClients; c += 1) {
      const numStructs = count('struct');
      const client = decoding.readVarUint(decoder);
      let clock = clockValue(decoding.readVarUint(decoder), 'clock');
      const from = clock;
      for (let s = 0; s < numStructs; s += 1) {
        const length = readStruct(decoder, count, clockValue);
        clock = clockValue(clock + length, 'clock');
      }
      if (numStructs > 0) {
        const prior = structs.get(client);
        structs.set(client, { from: Math.min(from, prior?.from ?? from), to: Math.max(clock, prior?.to ?? clock) });
      }
    }
    const dsClients = count('delete set client');
    for (let c = 0; c < dsClients; c += 1) {
      decoding.readVarUint(decoder);
      const ranges = count('delete range');
      for (let r = 0; r < ranges; r += 1) {
        const clock = clockValue(decoding.readVarUint(decoder), 'delete clock');
        clockValue(clock + decoding.readVarUint(decoder), 'delete length');
      }
    }
  } catch (err) {
    if (err instanceof SocketCloseError) throw err;
    throw invalid(CloseReason.malformedUpdate);
  }
  return { structs };
}

/**
 * Applies an accepted update that Yjs may still fail on midway (it passed `inspectUpdate`, but
 * Yjs checks more as it integrates): whatever it applied stays, the error is returned, never
 * thrown, so one such update cannot stop a pad from loading or its history from building.
 */
export function applyAccepted(doc: Y.Doc, update: Uint8Array, origin?: unknown): unknown {
  try {
    Y.applyUpdate(doc, update, origin);
    return null;
  } catch (err) {
    return err;
  }
}

/** Reads one struct and returns its length in clock units. */
function readStruct(
  decoder: decoding.Decoder,
  count: (what: string) => number,
  clockValue: (value: number, what: string) => number,
): number {
  const info = decoding.readUint8(decoder);
  const contentRef = info & BITS5;
  if (contentRef === 0 || contentRef === 10) {
    // GC or Skip: just a length.
    const len = decoding.readVarUint(decoder);
    return clockValue(len, 'length');
  }
  if (info & BIT8) readId(decoder, clockValue);
  if (info & BIT7) readId(decoder, clockValue);
  if ((info & (BIT7 | BIT8)) === 0) {
    const parentIsType = decoding.readVarUint(decoder) === 1;
    if (parentIsType) {
      const name = decoding.readVarString(decoder);
      if (!PAD_TOP_LEVEL_NAMES.has(name)) throw invalid(CloseReason.foreignTopLevelType(name));
    } else readId(decoder, clockValue);
    if (info & BIT6) decoding.readVarString(decoder);
  }
  switch (contentRef) {
    case 1: // ContentDeleted
      return clockValue(decoding.readVarUint(decoder), 'deleted length');
    case 2: {
      // ContentJSON
      const len = count('json');
      for (let i = 0; i < len; i += 1) decoding.readVarString(decoder);
      return Math.max(len, 1);
    }
    case 3: // ContentBinary
      decoding.readVarUint8Array(decoder);
      return 1;
    case 4: {
      // ContentString: length in UTF-16 units
      return Math.max(decoding.readVarString(decoder).length, 1);
    }
    case 5: // ContentEmbed
      JSON.parse(decoding.readVarString(decoder));
      return 1;
    case 6: // ContentFormat
      decoding.readVarString(decoder);
      JSON.parse(decoding.readVarString(decoder));
      return 1;
    case 7: {
      // ContentType
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef > 6) throw invalid(CloseReason.unknownType);
      if (typeRef === 3 || typeRef === 5) decoding.readVarString(decoder);
      return 1;
    }
    case 8: {
      // ContentAny
      const len = count('any');
      for (let i = 0; i < len; i += 1) readAny(decoder, count, 0);
      return Math.max(len, 1);
    }
    case 9: // ContentDoc
      decoding.readVarString(decoder);
      readAny(decoder, count, 0);
      return 1;
    default:
      throw invalid(CloseReason.unknownContentType(contentRef));
  }
}

function readId(decoder: decoding.Decoder, clockValue: (value: number, what: string) => number): void {
  decoding.readVarUint(decoder);
  clockValue(decoding.readVarUint(decoder), 'id clock');
}

/** lib0's `readAny`, with counts checked against the bytes left and a depth limit. */
function readAny(decoder: decoding.Decoder, count: (what: string) => number, depth: number): void {
  if (depth > MAX_ANY_DEPTH) throw invalid(CloseReason.valueTooDeep);
  const type = decoding.readUint8(decoder);
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125:
      decoding.readVarInt(decoder);
      return;
    case 124:
      decoding.readFloat32(decoder);
      return;
    case 123:
      decoding.readFloat64(decoder);
      return;
    case 122:
      decoding.readBigInt64(decoder);
      return;
    case 119:
      decoding.readVarString(decoder);
      return;
    case 118: {
      const len = count('object key');
      for (let i = 0; i < len; i += 1) {
        decoding.readVarString(decoder);
        readAny(decoder, count, depth + 1);
      }
      return;
    }
    case 117: {
      const len = count('array item');
      for (let i = 0; i < len; i += 1) readAny(decoder, count, depth + 1);
      return;
    }
    case 116:
      decoding.readVarUint8Array(decoder);
      return;
    default:
      throw invalid(CloseReason.unknownValueType);
  }
}
