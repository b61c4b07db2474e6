/**
 * The cluster bus on Redis pub/sub (REDIS_URL): one channel per loaded pad,
 * `gatherpad:pad:<padId>`, carrying the binary messages of `cluster-messages.ts`. Two
 * connections: one subscribed, one to publish. Publishing never queues while Redis is away
 * (the store is the log; peers catch up from it), and after a lost connection comes back the
 * link is told to resync (`reconnected`).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { ClusterBus, ClusterHandlers, ClusterUpdate } from '../sync/cluster-bus.js';
import type { Logger } from '../sync/types.js';
import { ClusterMessageType, readClusterMessage, writeClusterMessage, type ClusterMessage } from './cluster-messages.js';

const CHANNEL_PREFIX = 'gatherpad:pad:';
const PRESENCE_PREFIX = 'gatherpad:presence:';
/** Longest wait for a subscription to become active before a pad loads anyway, ms. */
const SUBSCRIBE_TIMEOUT_MS = 2000;

export interface RedisBusOptions {
  url: string;
  logger: Logger;
}

export class RedisBus implements ClusterBus {
  readonly nodeId = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly sub: Redis;
  private readonly pub: Redis;
  private handlers: ClusterHandlers | null = null;
  /** Whether each connection has been ready before: a later 'ready' is a reconnection. */
  private readonly wasReady = { sub: false, pub: false };
  private closed = false;

  constructor(private readonly options: RedisBusOptions) {
    const common = {
      lazyConnect: true,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      connectionName: `gatherpad-${this.nodeId}`,
    };
    this.sub = new Redis(options.url, { ...common, autoResubscribe: true });
    this.pub = new Redis(options.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    for (const [name, connection] of [
      ['sub', this.sub],
      ['pub', this.pub],
    ] as const) {
      connection.on('error', (err: Error) => options.logger.debug({ err, connection: name }, 'redis connection error'));
      connection.on('close', () => {
        if (!this.closed && this.wasReady[name]) options.logger.warn({ connection: name }, 'lost the connection to Redis; reconnecting');
      });
      connection.on('ready', () => {
        const again = this.wasReady[name];
        this.wasReady[name] = true;
        if (again && !this.closed) this.handlers?.reconnected();
      });
    }
    this.sub.on('messageBuffer', (channel: Buffer, data: Buffer) => this.receive(channel, data));
  }

  async start(handlers: ClusterHandlers): Promise<void> {
    this.handlers = handlers;
    await Promise.all([this.sub.connect(), this.pub.connect()]);
  }

  async subscribe(padId: string): Promise<void> {
    const subscribing = this.sub.subscribe(CHANNEL_PREFIX + padId);
    if (this.sub.status !== 'ready') {
      // Redis is away: the subscription is sent on reconnect, and the resync covers the gap.
      subscribing.catch(() => undefined);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      subscribing.catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
  }

  unsubscribe(padId: string): void {
    this.sub.unsubscribe(CHANNEL_PREFIX + padId).catch(() => undefined);
  }

  publishUpdate(message: ClusterUpdate): void {
    const { padId, ...update } = message;
    this.publish(padId, { type: ClusterMessageType.update, nodeId: this.nodeId, update });
  }

  publishAwareness(padId: string, update: Uint8Array): void {
    this.publish(padId, { type: ClusterMessageType.awareness, nodeId: this.nodeId, update });
  }

  publishAwarenessQuery(padId: string): void {
    this.publish(padId, { type: ClusterMessageType.awarenessQuery, nodeId: this.nodeId });
  }

  publishHead(padId: string, seq: number): void {
    this.publish(padId, { type: ClusterMessageType.head, nodeId: this.nodeId, seq });
  }

  async sharePresence(counts: ReadonlyMap<string, number>, ttlMs: number): Promise<void> {
    await this.pub.set(PRESENCE_PREFIX + this.nodeId, JSON.stringify(Object.fromEntries(counts)), 'PX', ttlMs);
  }

  async otherPresence(): Promise<Map<string, number>> {
    const keys: string[] = [];
    let cursor = '0';
    // Bounded: one key per live process.
    for (let page = 0; page < 100; page += 1) {
      const [next, found] = await this.pub.scan(cursor, 'MATCH', `${PRESENCE_PREFIX}*`, 'COUNT', 200);
      keys.push(...found.filter((key) => key !== PRESENCE_PREFIX + this.nodeId));
      cursor = next;
      if (cursor === '0') break;
    }
    const totals = new Map<string, number>();
    if (keys.length === 0) return totals;
    for (const value of await this.pub.mget(keys)) {
      if (!value) continue;
      try {
        for (const [padId, n] of Object.entries(JSON.parse(value) as Record<string, unknown>)) {
          if (typeof n === 'number' && Number.isFinite(n) && n > 0) totals.set(padId, (totals.get(padId) ?? 0) + n);
        }
      } catch (err) {
        this.options.logger.debug({ err }, 'ignored malformed presence from another process');
      }
    }
    return totals;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pub.del(PRESENCE_PREFIX + this.nodeId).catch(() => undefined);
    this.sub.disconnect();
    this.pub.disconnect();
  }

  private publish(padId: string, message: ClusterMessage): void {
    if (this.pub.status !== 'ready') return;
    const data = writeClusterMessage(message);
    this.pub.publish(CHANNEL_PREFIX + padId, Buffer.from(data.buffer, data.byteOffset, data.byteLength)).catch((err: unknown) => {
      this.options.logger.debug({ err, padId }, 'publish to Redis failed; the others catch up from the store');
    });
  }

  private receive(channel: Buffer, data: Buffer): void {
    const handlers = this.handlers;
    const name = channel.toString();
    if (!handlers || !name.startsWith(CHANNEL_PREFIX)) return;
    const padId = name.slice(CHANNEL_PREFIX.length);
    let message: ClusterMessage;
    try {
      message = readClusterMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      this.options.logger.warn({ err, padId }, 'dropped a malformed cluster message');
      return;
    }
    if (message.nodeId === this.nodeId) return;
    try {
      switch (message.type) {
        case ClusterMessageType.update:
          handlers.update({ padId, ...message.update });
          break;
        case ClusterMessageType.awareness:
          handlers.awareness(padId, message.update);
          break;
        case ClusterMessageType.awarenessQuery:
          handlers.awarenessQuery(padId);
          break;
        case ClusterMessageType.head:
          handlers.head(padId, message.seq);
          break;
      }
    } catch (err) {
      this.options.logger.warn({ err, padId, type: message.type }, 'could not apply a cluster message');
    }
  }
}
