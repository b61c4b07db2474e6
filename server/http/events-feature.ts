/**
 * Wires the events feature into a server: the event store and search index (SQLite or
 * PostgreSQL, from server/store/stores.ts), the search
 * indexer fed by committed pads, the live feed, and the routes (`/api/v1/events...`,
 * `/api/v1/search`, `/e/<event>/<team>.ics`). app.ts calls `registerEvents` once and forwards
 * each room's commits to `padCommitted`.
 */
import type { LoadSignal } from '../background/busy-gate.js';
import type { FastifyInstance } from 'fastify';
import type { EventStore } from '../events/event-store.js';
import { EventService } from '../events/event-service.js';
import { LiveFeed } from '../events/live-feed.js';
import { PadOutlines } from '../events/pad-outlines.js';
import { SearchIndexer } from '../search/indexer.js';
import type { SearchIndex } from '../search/search-index.js';
import type { Rooms } from '../sync/rooms.js';
import type { Logger } from '../sync/types.js';
import { eventsApi } from './events.js';
import { icalRoutes } from './ical.js';
import { liveApi } from './live.js';
import { searchApi } from './search.js';
import { teamsApi } from './teams.js';

export interface EventsFeatureOptions {
  events: EventStore;
  search: SearchIndex;
  rooms: Rooms;
  logger: Logger;
  adminToken: string | null;
  publicUrl: string | null;
  /** Search re-index delay after a commit, ms (default 1000). */
  indexDelayMs?: number;
  /** Background re-indexing waits while this says the server is busy. */
  load?: LoadSignal;
  /** People on a pad on other server processes (none without a cluster). */
  elsewhere?: (padId: string) => number;
}

export interface EventsFeature {
  service: EventService;
  indexer: SearchIndexer;
  /** Call after a pad's changes were committed. */
  padCommitted(padId: string): void;
  /** Indexes pending changes; call before the rooms unload. */
  close(): Promise<void>;
}

export async function registerEvents(http: FastifyInstance, options: EventsFeatureOptions): Promise<EventsFeature> {
  const store = options.events;
  const index = options.search;
  const indexer = new SearchIndexer({
    index,
    docs: options.rooms,
    logger: options.logger,
    delayMs: options.indexDelayMs,
    load: options.load,
  });
  const outlines = new PadOutlines(options.rooms);
  const service = new EventService({
    store,
    outline: (padId, updatedAt) => outlines.get(padId, updatedAt),
    liveCount: (padId) => (options.rooms.peek(padId)?.peers.size ?? 0) + (options.elsewhere?.(padId) ?? 0),
    isLoaded: (padId) => options.rooms.peek(padId) !== undefined,
    onPadDeleted: (padId) => {
      outlines.forget(padId);
      indexer.cancel(padId);
      index.remove(padId).catch((err: unknown) => options.logger.warn({ padId, err }, 'could not drop a deleted pad from search'));
    },
  });
  const feed = new LiveFeed({ service, logger: options.logger });
  const { adminToken, publicUrl } = options;

  await http.register(eventsApi, { prefix: '/api/v1', service, adminToken });
  await http.register(teamsApi, { prefix: '/api/v1', service, adminToken });
  await http.register(searchApi, {
    prefix: '/api/v1',
    index,
    events: store,
    outline: (padId, updatedAt) => outlines.get(padId, updatedAt),
  });
  await http.register(liveApi, { prefix: '/api/v1', service, feed });
  await http.register(icalRoutes, { service, publicUrl });

  // Pads edited while the server was down (or before search existed) become searchable soon.
  http.addHook('onReady', async () => {
    setImmediate(() => void indexer.backfill());
  });

  return {
    service,
    indexer,
    padCommitted: (padId) => indexer.schedule(padId),
    close: () => indexer.close(),
  };
}
