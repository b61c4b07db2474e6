/**
 * The observers run in a process of their own. A person's editor runs on their own device; in
 * the generator's process an observer's receive would wait behind thousands of other sockets'
 * work, and that wait (the generator's event-loop lag, which grows with the load) would be
 * counted as the server's latency. The child shares the generator's CPU; it mostly sleeps, so
 * the scheduler runs it as soon as a frame arrives.
 *
 * Parent side: `ObserverProcess`. Child side: this file run with `fork`, speaking over IPC:
 *   parent -> child  { type: 'open', kind, port, pads, late }   { type: 'close' }
 *   child -> parent  { type: 'opened', failed }            { type: 'seen', entries, errors, disconnects, messagesIn, bytesIn }
 * `entries` is flat: client, from, to, at (monotonic ms), ... for every edit an observer applied.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { LoadClient, newStats, type LoadStats, type SeenSink } from './load-clients.js';
import { WIRES, type ServerKind } from './wire.js';

type ToChild = { type: 'open'; kind: ServerKind; port: number; pads: string[]; late: boolean } | { type: 'close' };
type ToParent =
  | { type: 'opened'; failed: number }
  | { type: 'seen'; entries: number[]; errors: number; disconnects: number; messagesIn: number; bytesIn: number };

/** How often the child reports what its observers saw. */
const REPORT_MS = 100;

export class ObserverProcess {
  private child: ChildProcess | null = null;
  private readonly opening: ((failed: number) => void)[] = [];
  private last = newStats();

  constructor(
    private readonly kind: ServerKind,
    private readonly port: number,
    private readonly sink: SeenSink,
    private readonly stats: LoadStats,
  ) {}

  /**
   * Opens one observer on each pad; resolves once all are synced (failures count as errors).
   * `late` observers replace the late ones opened before (closed first): each level's late
   * observer is the peer that joined last.
   */
  open(pads: string[], late = false): Promise<void> {
    const child = this.child ?? this.spawn();
    return new Promise((resolve) => {
      this.opening.push((failed) => {
        this.stats.errors += failed;
        resolve();
      });
      child.send({ type: 'open', kind: this.kind, port: this.port, pads, late } satisfies ToChild);
    });
  }

  close(): void {
    if (!this.child) return;
    if (this.child.connected) this.child.send({ type: 'close' } satisfies ToChild);
    const child = this.child;
    setTimeout(() => child.kill(), 2000).unref();
    this.child = null;
  }

  private spawn(): ChildProcess {
    const child = fork(new URL(import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message: ToParent) => {
      if (message.type === 'opened') {
        this.opening.shift()?.(message.failed);
        return;
      }
      const { entries } = message;
      for (let i = 0; i < entries.length; i += 4) this.sink.seen(entries[i], entries[i + 1], entries[i + 2], entries[i + 3]);
      // The child sends running totals; add what is new since its last report.
      for (const key of ['errors', 'disconnects', 'messagesIn', 'bytesIn'] as const) {
        this.stats[key] += message[key] - this.last[key];
        this.last[key] = message[key];
      }
    });
    child.on('exit', () => {
      for (const done of this.opening.splice(0)) done(1);
    });
    this.child = child;
    return child;
  }
}

function runChild(): void {
  const stats = newStats();
  let clients: LoadClient[] = [];
  let late: LoadClient[] = [];
  let entries: number[] = [];
  const sink: SeenSink = { seen: (client, from, to, at) => void entries.push(client, from, to, at) };
  const report = setInterval(() => {
    process.send!({
      type: 'seen',
      entries,
      errors: stats.errors,
      disconnects: stats.disconnects,
      messagesIn: stats.messagesIn,
      bytesIn: stats.bytesIn,
    } satisfies ToParent);
    entries = [];
  }, REPORT_MS);
  process.on('message', async (message: ToChild) => {
    if (message.type === 'close') {
      clearInterval(report);
      for (const client of clients) client.close();
      process.disconnect();
      return;
    }
    if (message.late) {
      for (const client of late) client.close();
      clients = clients.filter((client) => !late.includes(client));
      late = [];
    }
    const opened = message.pads.map((pad) => {
      const client = new LoadClient('observer', WIRES[message.kind], message.port, pad, stats, sink);
      clients.push(client);
      if (message.late) late.push(client);
      return client.connect();
    });
    const results = await Promise.allSettled(opened);
    process.send!({ type: 'opened', failed: results.filter((r) => r.status === 'rejected').length } satisfies ToParent);
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.send && process.argv[1] === new URL(import.meta.url).pathname) runChild();
