import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { MessageType, encodeBare, encodePermissionDenied, encodeSaved, isWriteFrame, readSaved } from '../../common/protocol.js';
import { syncFrame } from '../helpers/clients.js';

describe('protocol', () => {
  it.each([0, 1, 127, 128, 300, 2 ** 31])('round-trips a saved message for %i writes', (n) => {
    const decoder = decoding.createDecoder(encodeSaved(n));
    expect(decoding.readVarUint(decoder)).toBe(MessageType.saved);
    expect(readSaved(decoder)).toBe(n);
    expect(decoding.hasContent(decoder)).toBe(false);
  });

  it('encodes ping and pong as their type alone, and neither is a write', () => {
    for (const type of [MessageType.ping, MessageType.pong] as const) {
      const frame = encodeBare(type);
      const decoder = decoding.createDecoder(frame);
      expect(decoding.readVarUint(decoder)).toBe(type);
      expect(decoding.hasContent(decoder)).toBe(false);
      expect(isWriteFrame(frame)).toBe(false);
    }
  });

  it('encodes permission denied as y-protocols/auth does', () => {
    const decoder = decoding.createDecoder(encodePermissionDenied('read only'));
    expect(decoding.readVarUint(decoder)).toBe(MessageType.auth);
    expect(decoding.readVarUint(decoder)).toBe(0);
    expect(decoding.readVarString(decoder)).toBe('read only');
  });

  it('counts sync step 2 and updates as writes, nothing else', () => {
    expect(isWriteFrame(syncFrame(0, new Uint8Array([0])))).toBe(false);
    expect(isWriteFrame(syncFrame(1, new Uint8Array([0, 0])))).toBe(true);
    expect(isWriteFrame(syncFrame(2, new Uint8Array([0, 0])))).toBe(true);
    expect(isWriteFrame(new Uint8Array([MessageType.awareness, 1]))).toBe(false);
    expect(isWriteFrame(new Uint8Array([0]))).toBe(false);
  });
});
