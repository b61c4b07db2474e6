/**
 * A WebSocket that counts the write frames (sync step 2 or update) it sends, so the pad can
 * match them against the server's `saved` acknowledgements. Counts belong to one socket: the
 * provider opens a new instance on every reconnect, and the server counts per connection too.
 */
import { isWriteFrame, SyncMessageType } from '../../../common/protocol.js';

type SendData = string | ArrayBufferLike | Blob | ArrayBufferView;

function frameBytes(data: SendData): Uint8Array | null {
  if (typeof data === 'string' || data instanceof Blob) return null;
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export class CountingWebSocket extends WebSocket {
  /** Write frames sent over this socket. */
  writesSent = 0;
  /** Write frames the server reported committed (`saved`), of those sent over this socket. */
  writesAcked = 0;
  /**
   * True once this socket answered the server's sync step 1 with a step 2, the frame that
   * carries every local change the server has not seen (edits made offline, or loaded from
   * IndexedDB). Until then, acked >= sent proves nothing.
   */
  answeredSyncStep1 = false;

  override send(data: SendData): void {
    super.send(data);
    const bytes = frameBytes(data);
    if (bytes !== null && isWriteFrame(bytes)) {
      this.writesSent++;
      if (bytes[1] === SyncMessageType.step2) this.answeredSyncStep1 = true;
    }
  }

  /** True when everything sent over this socket is committed on the server. */
  get allWritesAcked(): boolean {
    return this.answeredSyncStep1 && this.writesAcked >= this.writesSent;
  }
}
