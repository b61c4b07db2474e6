/**
 * How much server time honest connections use, to size the per-connection CPU budget
 * (`CPU_BUDGET_MS_PER_SECOND`, `CPU_BUDGET_BURST_MS`; issue 23). A large pad (BENCH_STRUCTS,
 * 150,000 structs by default, a tenth deleted) is typed into by BENCH_AUTHORS authors (200) at
 * random places, Etherpad's model (4 characters every 400 ms), each edit with a caret move in
 * awareness, for BENCH_SECONDS (30). The server runs in this process so that every connection's
 * charged time (`Connection.cpuMs`) can be read each second; the generator shares the process,
 * so its garbage collection lands in the server's handlers too: the figures are upper bounds.
 * Also timed: one joiner that knows nothing of the pad, and one 1 MB paste.
 * `npm run bench -- connection-cpu`.
 */
import * as Y from 'yjs';
import { SyncMessageType } from '../common/protocol.js';
import { awarenessFrameOf, connectProvider, synced, syncFrame, updateFrameOf, waitUntil } from '../tests/helpers/clients.js';
import { notesText, typedNotesPad } from '../tests/helpers/notes-text.js';
import { startInProcess } from '../tests/helpers/server.js';
import { newStats } from './load/load-clients.js';
import { RawLurker } from './load/raw-lurker.js';
import { TextRuns } from './load/text-runs.js';
import { machine, prng, summarize } from './lib/stats.js';

const PAD = 'bench-connection-cpu';

class Author {
  private readonly text: TextRuns;
  private readonly socket: RawLurker;
  private timer: NodeJS.Timeout | null = null;
  private awarenessClock = 0;

  constructor(port: number, seed: Uint8Array) {
    this.text = new TextRuns((Math.random() * 0x100000000) >>> 0, seed);
    const hello = [syncFrame(SyncMessageType.step1, Y.encodeStateVectorFromUpdate(seed))];
    this.socket = new RawLurker(new URL(`ws://127.0.0.1:${port}/ws/${PAD}`), hello, newStats());
  }

  connect(): Promise<void> {
    return this.socket.connect();
  }

  startTyping(intervalMs: number): void {
    const type = () => {
      const at = Math.floor(Math.random() * (this.text.length + 1));
      this.socket.send(updateFrameOf(this.text.insert(at, 'abcd')));
      this.awarenessClock += 1;
      this.socket.send(
        awarenessFrameOf(this.text.client, this.awarenessClock, {
          user: { name: `author ${this.text.client}`, color: '#1971c2' },
          cursor: { anchor: at, head: at + 4 },
        }),
      );
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

export async function run(): Promise<string> {
  const structs = Number(process.env.BENCH_STRUCTS ?? 150_000);
  const authorCount = Number(process.env.BENCH_AUTHORS ?? 200);
  const seconds = Number(process.env.BENCH_SECONDS ?? 30);
  const seed = Y.encodeStateAsUpdate(typedNotesPad(structs, 800, prng(structs)));
  const server = await startInProcess({
    MAX_PAD_BYTES: String(64 * 1024 * 1024),
    MAX_CONNECTIONS_PER_IP: '100000',
    // Measured, not enforced.
    CPU_BUDGET_MS_PER_SECOND: '1000000',
    CPU_BUDGET_BURST_MS: '1000000',
    // The generator's own work lags this process's loop: no shedding here.
    OVERLOAD_LAG_MS: '0',
    LOG_LEVEL: 'warn',
  });
  try {
    const seeder = connectProvider(server.wsUrl, PAD);
    await synced(seeder);
    Y.applyUpdate(seeder.doc, seed);
    await waitUntil(
      () => (server.app.rooms.peek(PAD)?.progress.lastSeq ?? 0) > 0 && server.app.rooms.peek(PAD)!.isDurable,
      'seed stored',
      120_000,
    );
    seeder.destroy();

    const charged = () => new Map(Array.from(server.app.gateway.connections, (c) => [c.id, c.cpuMs]));
    // One joiner that knows nothing: the whole pad is encoded (or served from the join snapshot).
    const before = charged();
    const joiner = connectProvider(server.wsUrl, PAD);
    await synced(joiner);
    const joinerMs = Math.max(
      ...Array.from(charged())
        .filter(([id]) => !before.has(id))
        .map(([, ms]) => ms),
    );
    joiner.destroy();

    const authors = Array.from({ length: authorCount }, () => new Author(Number(new URL(server.baseUrl).port), seed));
    for (const author of authors) await author.connect();
    for (const author of authors) author.startTyping(400);
    let last = charged();
    const perSecond: number[] = [];
    let worstSecond = 0;
    for (let s = 0; s < seconds; s += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = charged();
      for (const [id, ms] of now) {
        const delta = ms - (last.get(id) ?? 0);
        perSecond.push(delta);
        worstSecond = Math.max(worstSecond, delta);
      }
      last = now;
    }
    const totals = Array.from(server.app.gateway.connections, (c) => c.cpuMs);
    for (const author of authors) author.close();

    // A 1 MB paste into the pad by a client that has it all.
    const paster = connectProvider(server.wsUrl, PAD);
    await synced(paster);
    const beforePaste = charged().get(Math.max(...charged().keys())) ?? 0;
    const pasterId = Math.max(...charged().keys());
    notesText(paster.doc).insert(0, 'p'.repeat(1024 * 1024));
    await waitUntil(
      () => server.app.rooms.peek(PAD)!.isDurable && (charged().get(pasterId) ?? 0) > beforePaste + 0.01,
      'paste applied',
      60_000,
    );
    const pasteMs = (charged().get(pasterId) ?? 0) - beforePaste;
    paster.destroy();

    const seconds1 = summarize(perSecond);
    const total = summarize(totals);
    return [
      `Server time charged to honest connections (${machine()}; pad of ${structs.toLocaleString('en')} structs, ${authorCount} authors typing 4 characters every 400 ms with a caret move each, ${seconds} s, server and generator in one process)`,
      '',
      '| measure | value |',
      '|---|---|',
      `| per author and second: p50 / p99 / max | ${seconds1.p50.toFixed(2)} / ${seconds1.p99.toFixed(2)} / ${worstSecond.toFixed(1)} ms |`,
      `| per author over the run: p50 / max | ${total.p50.toFixed(0)} / ${total.max.toFixed(0)} ms (${(total.max / seconds).toFixed(2)} ms/s) |`,
      `| one joiner that knows nothing of the pad | ${joinerMs.toFixed(1)} ms |`,
      `| one 1 MB paste into the pad | ${pasteMs.toFixed(1)} ms |`,
    ].join('\n');
  } finally {
    await server.close();
  }
}
