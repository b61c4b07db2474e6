/**
 * Writers that ask for `saved` acknowledgements (`?ack=1`), each sending a 4-character edit
 * (into the notes' paragraph, tests/helpers/notes-text.ts) every `intervalMs`, and the time
 * from each send to the acknowledgement that covers it.
 */
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType, readSaved } from '../../common/protocol.js';
import { syncFrame, updateFrameOf } from '../../tests/helpers/clients.js';
import { notesSkeleton, notesText } from '../../tests/helpers/notes-text.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runAckWriters(
  padUrl: string,
  writers: number,
  seconds: number,
  intervalMs: number,
): Promise<{ latencies: number[]; sent: number }> {
  const latencies: number[] = [];
  const sockets: WebSocket[] = [];
  let sent = 0;
  try {
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const ws = new WebSocket(`${padUrl}?ack=1`);
        sockets.push(ws);
        await new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        });
        // Sync step 1 completes the handshake the server waits for.
        ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
        const sentAt: number[] = [];
        let acked = 0;
        ws.on('message', (data: Buffer) => {
          if (data[0] !== MessageType.saved) return;
          const decoder = decoding.createDecoder(new Uint8Array(data));
          decoding.readVarUint(decoder);
          const n = readSaved(decoder);
          const now = performance.now();
          for (; acked < n; acked += 1) if (!Number.isNaN(sentAt[acked])) latencies.push(now - sentAt[acked]);
        });
        const doc = new Y.Doc();
        doc.clientID = 10_000 + w;
        let pending: Uint8Array | null = null;
        doc.on('update', (u: Uint8Array) => (pending = u));
        const text = notesText(doc);
        // The notes' paragraph the text goes into: a write like any other, not timed.
        sentAt.push(Number.NaN);
        ws.send(updateFrameOf(notesSkeleton()));
        // Spread the writers over the interval so they do not fire in lockstep.
        await sleep((w / writers) * intervalMs);
        const until = performance.now() + seconds * 1000;
        while (performance.now() < until) {
          text.insert(Math.floor(Math.random() * (text.length + 1)), 'abcd');
          sentAt.push(performance.now());
          ws.send(updateFrameOf(pending!));
          sent += 1;
          await sleep(intervalMs);
        }
      }),
    );
    await sleep(500);
  } finally {
    for (const ws of sockets) ws.terminate();
  }
  return { latencies, sent };
}
