import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { MessageType, SyncMessageType } from '../../common/protocol.js';
import { syncStep2Frame, updateFrame } from '../../server/sync/frames.js';

/** The frame as y-protocols writes it, with lib0's encoder. */
function reference(subtype: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

describe('sync frames', () => {
  // Around each length where the varint prefix gains a byte.
  it.each([0, 1, 127, 128, 129, 16_383, 16_384, 2_097_151, 2_097_152])('frames a %i-byte payload as lib0 does', (size) => {
    const payload = new Uint8Array(size);
    for (let i = 0; i < size; i += 997) payload[i] = i & 0xff;
    // Buffer.equals: toEqual walks a 2 MB array element by element (most of the unit tests' time).
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
    expect(same(updateFrame(payload), reference(SyncMessageType.update, payload))).toBe(true);
    expect(same(syncStep2Frame(payload), reference(SyncMessageType.step2, payload))).toBe(true);
  });
});
