import { describe, expect, it } from 'vitest';
import { judgeSocket, WATCHDOG, type SocketTimes } from '../../../client/src/connection/connection-watchdog.js';

const open: SocketTimes = { connected: true, createdAt: 0, lastReceivedAt: 1_000, pingSentAt: null, oldestUnackedAge: 0 };

describe('connection watchdog', () => {
  it('leaves a socket alone while the server talks', () => {
    expect(judgeSocket(open, 1_000 + WATCHDOG.pingAfterMs - 1)).toBe('ok');
  });

  it('pings after a short silence, then waits for the answer', () => {
    const now = 1_000 + WATCHDOG.pingAfterMs;
    expect(judgeSocket(open, now)).toBe('ping');
    const pinged = { ...open, pingSentAt: now };
    expect(judgeSocket(pinged, now + 1_000)).toBe('ok');
  });

  it('calls a socket stalled when the ping stays unanswered, about 5 s after the last message', () => {
    const pingAt = 1_000 + WATCHDOG.pingAfterMs;
    const pinged = { ...open, pingSentAt: pingAt };
    expect(judgeSocket(pinged, 1_000 + WATCHDOG.stalledAfterMs - 1)).toBe('ok');
    expect(judgeSocket(pinged, 1_000 + WATCHDOG.stalledAfterMs)).toBe('stalled');
  });

  it('does not call a quiet socket stalled just because the tab ran its timers late', () => {
    // A background tab woke a minute later: nothing arrived because nothing was asked.
    expect(judgeSocket(open, 61_000)).toBe('ping');
  });

  it('calls a socket stalled when a write waits 5 s for its acknowledgement, pong or not', () => {
    expect(judgeSocket({ ...open, oldestUnackedAge: WATCHDOG.stalledAfterMs - 1 }, 1_500)).toBe('ok');
    expect(judgeSocket({ ...open, oldestUnackedAge: WATCHDOG.stalledAfterMs }, 1_500)).toBe('stalled');
  });

  it('gives up on an opening handshake that hangs', () => {
    const opening = { ...open, connected: false, createdAt: 0 };
    expect(judgeSocket(opening, WATCHDOG.connectTimeoutMs - 1)).toBe('ok');
    expect(judgeSocket(opening, WATCHDOG.connectTimeoutMs)).toBe('stalled');
  });
});
