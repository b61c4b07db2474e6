/**
 * When a pad's socket counts as stalled. A browser never sees WebSocket-level pings, and the
 * y-websocket provider's own watchdog waits 30 s of silence, so a stopped or wedged server
 * looked "Live | Saving..." for about 40 s. Here: ping after a short silence, and call the
 * socket stalled when the ping stays unanswered, when a write stays unacknowledged, or when
 * opening the socket hangs. Pure: the pad connection asks it once a tick.
 */

/** Times in ms. */
export const WATCHDOG = {
  /** How often the pad connection asks. */
  tickMs: 1_000,
  /** Silence after which the client pings the server. */
  pingAfterMs: 2_000,
  /** Silence (or an unacknowledged write's wait) after which the socket is stalled. */
  stalledAfterMs: 5_000,
  /** An opening handshake that takes this long is abandoned and tried again. */
  connectTimeoutMs: 10_000,
} as const;

export interface SocketTimes {
  /** Open and past its handshake (the provider's `wsconnected`). */
  connected: boolean;
  createdAt: number;
  lastReceivedAt: number;
  /** When the ping that is still unanswered went out; null when none is. */
  pingSentAt: number | null;
  /** How long the oldest unacknowledged write has waited (0: none). */
  oldestUnackedAge: number;
}

export type WatchdogVerdict = 'ok' | 'ping' | 'stalled';

export function judgeSocket(socket: SocketTimes, now: number): WatchdogVerdict {
  if (!socket.connected) return now - socket.createdAt >= WATCHDOG.connectTimeoutMs ? 'stalled' : 'ok';
  if (socket.oldestUnackedAge >= WATCHDOG.stalledAfterMs) return 'stalled';
  if (socket.pingSentAt !== null) {
    // A tab in the background runs timers late: judge by the time since the ping, not since the
    // last message, or a quiet pad would look stalled after every pause of the tab.
    const waitedForPong = now - socket.pingSentAt;
    return waitedForPong >= WATCHDOG.stalledAfterMs - WATCHDOG.pingAfterMs ? 'stalled' : 'ok';
  }
  return now - socket.lastReceivedAt >= WATCHDOG.pingAfterMs ? 'ping' : 'ok';
}
