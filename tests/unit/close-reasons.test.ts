import { describe, expect, it } from 'vitest';
import { CloseReason } from '../../common/protocol.js';
import { fitCloseReason, MAX_CLOSE_REASON_BYTES } from '../../server/sync/close-error.js';

describe('close reasons', () => {
  it('all fit a close frame, with the largest arguments the server passes', () => {
    const largest: Record<string, unknown[]> = {
      unknownMessageType: [2 ** 53 - 1],
      unknownSyncMessageType: [2 ** 53 - 1],
      padFull: [1024 ** 4],
      countExceedsUpdate: ['delete set client', 2 ** 53 - 1],
      outOfRange: ['deleted length'],
      foreignTopLevelType: ['x'.repeat(1000)],
      unknownContentType: [31],
    };
    for (const [name, reason] of Object.entries(CloseReason)) {
      const text = typeof reason === 'function' ? (reason as (...args: unknown[]) => string)(...(largest[name] ?? [])) : reason;
      expect(Buffer.byteLength(text), name).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    }
  });

  it('cuts a long reason at a character boundary, within the bytes a close frame holds', () => {
    expect(fitCloseReason('short')).toBe('short');
    // Four bytes a character, one byte ahead of them: no cut at 123 bytes falls between two.
    const name = `a${'\u{1F4DD}'.repeat(40)}`;
    const fitted = fitCloseReason(name);
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(Buffer.byteLength(fitted)).toBeGreaterThan(MAX_CLOSE_REASON_BYTES - 4);
    expect(name.startsWith(fitted)).toBe(true);
    expect(fitted).not.toContain('\uFFFD');
    expect(fitted.endsWith('\u{1F4DD}')).toBe(true);
  });
});
