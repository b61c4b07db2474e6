/**
 * An author on a bare socket (see raw-lurker.ts): Etherpad's load model, 4 characters inserted
 * at a random place every 400 ms. Its Y.Doc holds the pad's seed text (sent to the server once
 * by the harness) and its own edits, so a thousand authors fit in the generator's memory and
 * their edits land all over the seed, as people's do. What the server sends it is skimmed, not
 * parsed: at 1,000 authors a `ws` client per author spent a fifth of the generator's core
 * copying frames it then ignored.
 */
import * as Y from 'yjs';
import { monotonicMs, syncFrame, type LoadStats, type SentLog } from './load-clients.js';
import { RawLurker } from './raw-lurker.js';
import type { Wire } from './wire.js';

export class RawAuthor {
  private readonly doc = new Y.Doc();
  private readonly socket: RawLurker;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly wire: Wire,
    port: number,
    private readonly pad: string,
    stats: LoadStats,
    private readonly log: SentLog,
    seed: Uint8Array | null,
  ) {
    if (seed) Y.applyUpdate(this.doc, seed);
    const hello = [...wire.hello(pad), wire.wrap(pad, syncFrame(0, Y.encodeStateVector(this.doc)))];
    this.socket = new RawLurker(new URL(wire.url(port, pad)), hello, stats);
  }

  /** Opens the socket and sends the handshake (sync step 1 with the seed's state). */
  connect(): Promise<void> {
    return this.socket.connect();
  }

  /** Starts typing: 4 characters at a random place every `intervalMs`. */
  startTyping(intervalMs = 400): void {
    const text = this.doc.getText('bench');
    let pending: Uint8Array | null = null;
    this.doc.on('update', (update: Uint8Array) => (pending = update));
    const type = () => {
      const clock = Y.getState(this.doc.store, this.doc.clientID);
      text.insert(Math.floor(Math.random() * (text.length + 1)), 'abcd');
      if (pending) {
        this.log.record(this.pad, this.doc.clientID, clock, monotonicMs());
        this.socket.send(this.wire.wrap(this.pad, syncFrame(2, pending)));
        pending = null;
      }
    };
    this.timer = setTimeout(() => {
      type();
      this.timer = setInterval(type, intervalMs);
    }, Math.random() * intervalMs);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.socket.close();
  }
}
