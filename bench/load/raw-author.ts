/**
 * An author on a bare socket (see raw-lurker.ts): Etherpad's load model, 4 characters inserted
 * at a random place every 400 ms, into the notes' paragraph (tests/helpers/notes-text.ts). It
 * knows the pad's seed text (sent to the server once by the harness) and its own edits, as the character ids of `TextRuns` rather than a Y.Doc, so
 * thousands of authors fit in the generator's core and their edits land all over the seed, as
 * people's do. What the server sends it is skimmed, not
 * parsed: at 1,000 authors a `ws` client per author spent a fifth of the generator's core
 * copying frames it then ignored.
 */
import * as Y from 'yjs';
import { monotonicMs, syncFrame, type LoadStats, type SentLog } from './load-clients.js';
import { RawLurker } from './raw-lurker.js';
import { notesSkeleton } from '../../tests/helpers/notes-text.js';
import { TextRuns } from './text-runs.js';
import type { Wire } from './wire.js';

export class RawAuthor {
  private readonly text: TextRuns;
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
    this.text = new TextRuns((Math.random() * 0x100000000) >>> 0, seed);
    const stateVector = seed ? Y.encodeStateVectorFromUpdate(seed) : Y.encodeStateVector(new Y.Doc());
    const hello = [...wire.hello(pad), wire.wrap(pad, syncFrame(0, stateVector))];
    // An empty pad gets the notes' paragraph the text goes into (every author sends the same one).
    if (!seed) hello.push(wire.wrap(pad, syncFrame(2, notesSkeleton())));
    this.socket = new RawLurker(new URL(wire.url(port, pad)), hello, stats);
  }

  /** Opens the socket and sends the handshake (sync step 1 with the seed's state). */
  connect(): Promise<void> {
    return this.socket.connect();
  }

  /** Starts typing: 4 characters at a random place every `intervalMs`. */
  startTyping(intervalMs = 400): void {
    const text = this.text;
    const type = () => {
      const clock = text.nextClock;
      const update = text.insert(Math.floor(Math.random() * (text.length + 1)), 'abcd');
      this.log.record(this.pad, text.client, clock, monotonicMs());
      this.socket.send(this.wire.wrap(this.pad, syncFrame(2, update)));
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
