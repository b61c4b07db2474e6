import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { websocketBinaryFrames } from '../../server/sync/ws-internals.js';

/** ws's frame parser (exported at runtime, not in its type definitions). */
type FrameParser = import('node:stream').Writable & {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): FrameParser;
};
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean; binaryType: string }) => FrameParser };

/** What a WebSocket client (ws's own parser) reads from the bytes. */
function parse(wire: Buffer): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const messages: Buffer[] = [];
    const receiver = new Receiver({ isServer: false, binaryType: 'nodebuffer' });
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(true);
      messages.push(data);
    });
    receiver.on('error', reject);
    receiver.write(wire, () => resolve(messages));
  });
}

describe('fan-out frames on the wire', () => {
  it('frames payloads of every length class so a client reads them back', async () => {
    const payloads = [0, 1, 125, 126, 65_535, 65_536, 200_000].map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) % 251));
    const messages = await parse(websocketBinaryFrames(payloads));
    expect(messages.map((m) => m.length)).toEqual(payloads.map((p) => p.length));
    // Buffer.equals: toEqual walks a 200 KB array element by element (seconds).
    const differing = messages.flatMap((message, i) => (message.equals(payloads[i]) ? [] : [i]));
    expect(differing).toEqual([]);
  });
});
