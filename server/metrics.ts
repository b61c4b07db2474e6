/** Prometheus metrics, one registry per server instance (tests run several in one process). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Rooms } from './sync/rooms.js';
import type { WebSocketGateway } from './sync/websocket-gateway.js';

export interface Metrics {
  registry: Registry;
  observeCommit(seconds: number, records: number): void;
  /** A snapshot built, encoded on the event loop or built in the worker thread, and the loop's time on it. */
  observeSnapshot(builtIn: 'loop' | 'worker', loopSeconds: number): void;
  /** A new connection refused because the event loop lagged past OVERLOAD_LAG_MS. */
  connectionShed(): void;
  /** A connection closed for using more server time than its budget. */
  connectionOverBudget(): void;
  track(rooms: Rooms, gateway: WebSocketGateway, journal: { readonly waitingRows: number } | null, loop: { readonly lagMs: number }): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commitSeconds = new Histogram({
    name: 'gatherpad_commit_seconds',
    help: 'Time to commit one batch of updates to the store',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const committedUpdates = new Counter({
    name: 'gatherpad_committed_updates_total',
    help: 'Updates committed to the store',
    registers: [registry],
  });
  const snapshotLoopSeconds = new Histogram({
    name: 'gatherpad_snapshot_loop_seconds',
    help: 'Event-loop time per pad snapshot, by where it was built: on the loop, or in the worker thread (large pads; the loop only hands it over)',
    labelNames: ['built'],
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const shed = new Counter({
    name: 'gatherpad_connections_shed_total',
    help: 'New WebSocket connections refused with 1013 because the event loop lagged past OVERLOAD_LAG_MS',
    registers: [registry],
  });
  const overBudget = new Counter({
    name: 'gatherpad_connections_over_budget_total',
    help: 'WebSocket connections closed with 1008 for using more server time than their budget (CPU_BUDGET_MS_PER_SECOND)',
    registers: [registry],
  });
  let sources: {
    rooms: Rooms;
    gateway: WebSocketGateway;
    journal: { readonly waitingRows: number } | null;
    loop: { readonly lagMs: number };
  } | null = null;
  new Gauge({
    name: 'gatherpad_event_loop_lag_seconds',
    help: 'Worst event-loop lag of the last second or two (what load shedding goes by)',
    registers: [registry],
    collect() {
      this.set((sources?.loop.lagMs ?? 0) / 1000);
    },
  });
  new Gauge({
    name: 'gatherpad_loaded_pads',
    help: 'Pads loaded in memory',
    registers: [registry],
    collect() {
      this.set(sources?.rooms.size ?? 0);
    },
  });
  new Gauge({
    name: 'gatherpad_connections',
    help: 'Open WebSocket connections',
    registers: [registry],
    collect() {
      this.set(sources?.gateway.connections.size ?? 0);
    },
  });
  new Gauge({
    name: 'gatherpad_journal_rows',
    help: "Committed updates in the SQLite update journal, not yet moved to their pad's log",
    registers: [registry],
    collect() {
      this.set(sources?.journal?.waitingRows ?? 0);
    },
  });
  return {
    registry,
    observeCommit(seconds, records) {
      commitSeconds.observe(seconds);
      committedUpdates.inc(records);
    },
    observeSnapshot(builtIn, loopSeconds) {
      snapshotLoopSeconds.observe({ built: builtIn }, loopSeconds);
    },
    connectionShed() {
      shed.inc();
    },
    connectionOverBudget() {
      overBudget.inc();
    },
    track(rooms, gateway, journal, loop) {
      sources = { rooms, gateway, journal, loop };
    },
  };
}
