/**
 * A lurker on a bare TCP socket: the WebSocket handshake by hand, one masked frame for sync
 * step 1, then it only skims frame headers (to answer pings) and counts bytes. A `ws` client
 * parses and allocates every message, which on a shared 2-core machine makes the generator the
 * bottleneck long before a server that batches its fan-out; the server's work per lurker is
 * the same either way.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { LoadStats } from './load-clients.js';

function maskedFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.length;
  const header =
    length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length]) : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
  // An all-zero mask leaves the payload as it is.
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

/**
 * Every lurker reads into this one buffer (`net` `onread`): no buffer and no stream event per
 * read. Safe because a read is skimmed before the next one, and whatever is kept is copied.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export class RawLurker {
  private socket: Socket | null = null;
  private closing = false;

  constructor(
    private readonly url: URL,
    private readonly firstFrames: Uint8Array[],
    private readonly stats: LoadStats,
  ) {}

  connect(timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        port: Number(this.url.port),
        host: this.url.hostname,
        onread: {
          buffer: READ_BUFFER,
          callback: (bytes: number, buffer: Uint8Array) => {
            onData(Buffer.from(buffer.buffer, buffer.byteOffset, bytes));
            return true;
          },
        },
      });
      this.socket = socket;
      socket.setNoDelay(true);
      const timer = setTimeout(() => reject(new Error('upgrade timed out')), timeoutMs);
      let upgraded = false;
      let head = Buffer.alloc(0);
      // Frame skimming state: bytes of the current frame still to skip, and a partial header.
      let skip = 0;
      let pending = Buffer.alloc(0);
      const skim = (chunk: Buffer) => {
        let data = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        pending = Buffer.alloc(0);
        let at = 0;
        while (at < data.length) {
          if (skip > 0) {
            const n = Math.min(skip, data.length - at);
            skip -= n;
            at += n;
            continue;
          }
          if (data.length - at < 2) break;
          const opcode = data[at] & 0x0f;
          let length = data[at + 1] & 0x7f;
          let headerLength = 2;
          if (length === 126) {
            if (data.length - at < 4) break;
            length = data.readUInt16BE(at + 2);
            headerLength = 4;
          } else if (length === 127) {
            if (data.length - at < 10) break;
            length = Number(data.readBigUInt64BE(at + 2));
            headerLength = 10;
          }
          if (opcode === 0x9) {
            if (data.length - at < headerLength + length) break;
            socket.write(maskedFrame(0xa, data.subarray(at + headerLength, at + headerLength + length)));
          }
          if (opcode === 0x8) this.stats.disconnects += this.closing ? 0 : 1;
          this.stats.messagesIn += 1;
          at += headerLength;
          skip = length;
        }
        if (at < data.length) pending = Buffer.from(data.subarray(at));
        data = Buffer.alloc(0);
      };
      socket.on('connect', () => {
        const key = randomBytes(16).toString('base64');
        socket.write(
          `GET ${this.url.pathname}${this.url.search} HTTP/1.1\r\nHost: ${this.url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      const onData = (chunk: Buffer) => {
        this.stats.bytesIn += chunk.length;
        if (upgraded) {
          skim(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        if (!head.subarray(0, 12).toString().includes('101')) {
          clearTimeout(timer);
          this.stats.errors += 1;
          reject(new Error(`upgrade refused: ${head.subarray(0, end).toString().split('\r\n')[0]}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        for (const frame of this.firstFrames) {
          socket.write(maskedFrame(0x2, frame));
          this.stats.messagesOut += 1;
        }
        clearTimeout(timer);
        resolve();
        if (head.length > end + 4) skim(head.subarray(end + 4));
      };
      socket.on('error', () => {
        this.stats.errors += 1;
      });
      socket.on('close', () => {
        if (!this.closing) this.stats.disconnects += 1;
      });
    });
  }

  /** Sends one binary frame (masked with a zero key, as a client must mask). */
  send(frame: Uint8Array): void {
    if (!this.socket || this.socket.destroyed) return;
    this.socket.write(maskedFrame(0x2, frame));
    this.stats.messagesOut += 1;
    this.stats.bytesOut += frame.length;
  }

  close(): void {
    this.closing = true;
    this.socket?.destroy();
  }
}
