/**
 * Load clients on `ws` that speak the y-websocket protocol directly (the ramp's authors and
 * lurkers use bare sockets instead: raw-author.ts, raw-lurker.ts).
 * - Lurker: syncs once, then only receives; no Y.Doc (a reader costs the server, not us).
 * - Author: publishes updates it is given (the harness seeds pads with it).
 * - Observer: a full client that applies everything and measures keystroke-to-remote-apply
 *   latency for every author edit it sees.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Wire } from './wire.js';

/**
 * Milliseconds on the system's monotonic clock: the same in every process on this machine, so
 * an edit sent by the generator and applied in the observers' process can be timed.
 */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

/** What an observer reports: it applied structs [from, to) of `client` at `at`. */
export interface SeenSink {
  seen(client: number, from: number, to: number, at: number): void;
}

/** Sent edits kept per client: far more than are in flight at any time. */
const KEPT_PER_CLIENT = 200;

/**
 * When each author edit on an observed pad was sent: client id -> [clock, ms] in clock order.
 * Edits on pads without an observer cannot be timed and are not kept: at 2,000 pads (one in 25
 * observed) keeping them all made the generator spend a third of its time collecting garbage.
 */
export class SentLog implements SeenSink {
  private readonly byClient = new Map<number, { clock: number; at: number }[]>();
  private readonly observed = new Set<string>();
  latencies: number[] = [];

  /** Edits on `pad` are timed from now on: an observer is on it. */
  observe(pad: string): void {
    this.observed.add(pad);
  }

  record(pad: string, client: number, clock: number, at: number): void {
    if (!this.observed.has(pad)) return;
    let list = this.byClient.get(client);
    if (!list) this.byClient.set(client, (list = []));
    list.push({ clock, at });
    // Trimmed by half the list at a time, not one entry per edit (each splice moves the rest).
    if (list.length > 2 * KEPT_PER_CLIENT) list.splice(0, list.length - KEPT_PER_CLIENT);
  }

  /** An observer applied structs [from, to) of `client` at `now`. */
  seen(client: number, from: number, to: number, now: number): void {
    const list = this.byClient.get(client);
    if (!list) return;
    // Newest first: what an observer applies is among the latest edits.
    for (let i = list.length - 1; i >= 0 && list[i].clock >= from; i -= 1) if (list[i].clock < to) this.latencies.push(now - list[i].at);
  }
}

export interface LoadStats {
  messagesIn: number;
  bytesIn: number;
  messagesOut: number;
  bytesOut: number;
  errors: number;
  disconnects: number;
}

export const newStats = (): LoadStats => ({ messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0, errors: 0, disconnects: 0 });

export function syncFrame(subtype: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

type Role = 'lurker' | 'author' | 'observer';

export class LoadClient {
  readonly doc: Y.Doc | null;
  private ws: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  synced = false;
  private closing = false;

  constructor(
    readonly role: Role,
    private readonly wire: Wire,
    private readonly port: number,
    readonly pad: string,
    private readonly stats: LoadStats,
    private readonly log: SeenSink,
  ) {
    this.doc = role === 'lurker' ? null : new Y.Doc();
  }

  /** Sends an update as this client (the harness seeds a pad with it). */
  publish(update: Uint8Array): void {
    this.send(this.wire.wrap(this.pad, syncFrame(2, update)));
  }

  /** Opens the socket and resolves once the initial sync step 2 has arrived. */
  connect(timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.wire.url(this.port, this.pad), { perMessageDeflate: false });
      this.ws = ws;
      ws.binaryType = 'nodebuffer';
      const timer = setTimeout(() => reject(new Error('sync timed out')), timeoutMs);
      ws.on('open', () => {
        for (const frame of this.wire.hello(this.pad)) this.send(frame);
        const sv = this.doc ? Y.encodeStateVector(this.doc) : EMPTY_STATE_VECTOR;
        this.send(this.wire.wrap(this.pad, syncFrame(0, sv)));
      });
      ws.on('message', (data: Buffer) => {
        this.stats.messagesIn += 1;
        this.stats.bytesIn += data.length;
        if (this.synced && this.role !== 'observer') return;
        const frame = this.wire.unwrap(new Uint8Array(data.buffer, data.byteOffset, data.length));
        if (!frame || frame[0] !== 0) return;
        const decoder = decoding.createDecoder(frame);
        decoding.readVarUint(decoder);
        const subtype = decoding.readVarUint(decoder);
        if (subtype === 0) return;
        const update = decoding.readVarUint8Array(decoder);
        if (this.role === 'observer') this.apply(update, subtype);
        if (subtype === 1 && !this.synced) {
          this.synced = true;
          clearTimeout(timer);
          resolve();
        }
      });
      ws.on('error', () => {
        this.stats.errors += 1;
      });
      ws.on('close', () => {
        if (!this.closing) this.stats.disconnects += 1;
        clearTimeout(timer);
        reject(new Error('closed before sync'));
      });
    });
  }

  close(): void {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    this.ws?.terminate();
  }

  private apply(update: Uint8Array, subtype: number): void {
    const doc = this.doc!;
    Y.applyUpdate(doc, update);
    if (this.role === 'observer' && subtype === 2) {
      const now = monotonicMs();
      const meta = Y.parseUpdateMeta(update);
      for (const [client, to] of meta.to) this.log.seen(client, meta.from.get(client) ?? 0, to, now);
    }
  }

  private send(frame: Uint8Array): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(frame);
    this.stats.messagesOut += 1;
    this.stats.bytesOut += frame.length;
  }
}
