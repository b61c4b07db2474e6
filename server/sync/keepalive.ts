/**
 * WebSocket keepalive, spread over the interval: connections are dealt round-robin into slots,
 * and one slot is pinged every `intervalMs / slots`, so each connection is still pinged once per
 * interval. Pinging every connection in one callback stalled the loop, and their pongs the
 * next turn: the periodic outlier of the many-pads benchmark (docs/architecture.md, Backpressure).
 */
import type { Connection } from './connection.js';

/** Aim for a slot every 100 ms: a few dozen pings per callback even with thousands connected. */
const SLOT_MS = 100;

export class Keepalive {
  private readonly slots: Set<Connection>[];
  private readonly slotOf = new Map<Connection, Set<Connection>>();
  private nextToPing = 0;
  private nextToFill = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs: number) {
    const count = Math.max(1, Math.floor(intervalMs / SLOT_MS));
    this.slots = Array.from({ length: count }, () => new Set<Connection>());
    this.timer = setInterval(this.pingNextSlot, intervalMs / count);
    this.timer.unref();
  }

  add(connection: Connection): void {
    const slot = this.slots[this.nextToFill];
    this.nextToFill = (this.nextToFill + 1) % this.slots.length;
    slot.add(connection);
    this.slotOf.set(connection, slot);
  }

  delete(connection: Connection): void {
    this.slotOf.get(connection)?.delete(connection);
    this.slotOf.delete(connection);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private readonly pingNextSlot = (): void => {
    const slot = this.slots[this.nextToPing];
    this.nextToPing = (this.nextToPing + 1) % this.slots.length;
    for (const connection of slot) connection.ping();
  };
}
