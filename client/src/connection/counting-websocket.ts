/**
 * A WebSocket that counts the write frames (sync step 2 or update) it sends, so the pad can
 * match them against the server's `saved` acknowledgements, and knows how long the server has
 * been silent and how long the oldest unacknowledged write has waited (connection-watchdog.ts).
 * Counts belong to one socket: the provider opens a new instance on every reconnect, and the
 * server counts per connection too.
 */
import { encodeBare, isWriteFrame, MessageType, SyncMessageType } from '../../../common/protocol.js';

type SendData = string | ArrayBufferLike | Blob | ArrayBufferView;

function frameBytes(data: SendData): Uint8Array | null {
  if (typeof data === 'string' || data instanceof Blob) return null;
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

const PING = encodeBare(MessageType.ping);

export class CountingWebSocket extends WebSocket {
  /** Write frames sent over this socket. */
  writesSent = 0;
  /** Write frames the server reported committed (`saved`), of those sent over this socket. */
  private acked = 0;
  /**
   * True once this socket answered the server's sync step 1 with a step 2, the frame that
   * carries every local change the server has not seen (edits made offline, or loaded from
   * IndexedDB). Until then, acked >= sent proves nothing.
   */
  answeredSyncStep1 = false;
  /** When this socket was created, and when the server last sent anything (performance.now()). */
  readonly createdAt = performance.now();
  lastReceivedAt = this.createdAt;
  /** When the last ping went out that nothing has arrived since; null when none is waiting. */
  pingSentAt: number | null = null;
  /** Send times of the writes not yet acknowledged, oldest first (index = write number - acked - 1). */
  private readonly unackedSentAt: number[] = [];

  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    this.addEventListener('open', () => {
      this.lastReceivedAt = performance.now();
    });
    this.addEventListener('message', () => {
      this.lastReceivedAt = performance.now();
      this.pingSentAt = null;
    });
  }

  override send(data: SendData): void {
    super.send(data);
    const bytes = frameBytes(data);
    if (bytes !== null && isWriteFrame(bytes)) {
      this.writesSent++;
      this.unackedSentAt.push(performance.now());
      if (bytes[1] === SyncMessageType.step2) this.answeredSyncStep1 = true;
    }
  }

  get writesAcked(): number {
    return this.acked;
  }

  /** The server said the first `count` writes of this socket are committed. */
  set writesAcked(count: number) {
    if (count <= this.acked) return;
    this.unackedSentAt.splice(0, Math.min(count - this.acked, this.unackedSentAt.length));
    this.acked = count;
  }

  /** True when everything sent over this socket is committed on the server. */
  get allWritesAcked(): boolean {
    return this.answeredSyncStep1 && this.acked >= this.writesSent;
  }

  /** How long the oldest write not yet acknowledged has waited, in ms (0: none waits). */
  oldestUnackedAge(now: number): number {
    return this.unackedSentAt.length === 0 ? 0 : now - this.unackedSentAt[0];
  }

  ping(): void {
    if (this.readyState !== WebSocket.OPEN) return;
    super.send(PING);
    this.pingSentAt = performance.now();
  }
}
