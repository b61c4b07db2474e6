/**
 * Wires the Etherpad migration into a server: the importer and exporter of
 * `.etherpad` files, Etherpad's URLs and old names (aliases), and the Etherpad-compatible HTTP
 * API under `/api`. app.ts calls `registerEtherpad` once.
 */
import type { FastifyInstance } from 'fastify';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AccessPolicy } from '../access/access-policy.js';
import type { HistoryIndexer } from '../history/history-indexer.js';
import type { PadHistory } from '../history/pad-history.js';
import { padSchema } from '../history/revision-content.js';
import type { HistoryStore } from '../history/types.js';
import type { EventStore } from '../events/event-store.js';
import { editKeyOf } from '../http/access.js';
import type { PadStore } from '../store/pad-store.js';
import type { Rooms } from '../sync/rooms.js';
import type { Logger } from '../sync/types.js';
import type { EtherpadStore } from './etherpad-store.js';
import { EtherpadExporter } from './exporter.js';
import { etherpadApi } from './api/api-plugin.js';
import { etherpadRoutes } from './http-routes.js';
import { EtherpadImporter } from './importer.js';

export interface EtherpadFeatureOptions {
  etherpad: EtherpadStore;
  pads: PadStore;
  history: HistoryStore;
  indexer: HistoryIndexer;
  padHistory: PadHistory;
  rooms: Rooms;
  policy: AccessPolicy;
  logger: Logger;
  adminToken: string | null;
  maxImportBytes: number;
  /** MAX_PAD_BYTES. */
  maxPadBytes: number;
  events: Pick<EventStore, 'listPads' | 'deletePad'>;
  /** After an import or an API write: search indexing. */
  padChanged(padId: string): void;
  /** After the API deleted a pad: drops it from search. */
  padRemoved(padId: string): Promise<void>;
}

export interface EtherpadFeature {
  importer: EtherpadImporter;
  exporter: EtherpadExporter;
}

/** The longest stretch an export holds the event loop before giving it a turn, ms. */
const SLICE_MS = 10;

export async function registerEtherpad(http: FastifyInstance, options: EtherpadFeatureOptions): Promise<EtherpadFeature> {
  const { rooms, pads } = options;
  const importer = new EtherpadImporter({
    store: options.etherpad,
    rooms,
    schema: padSchema(),
    logger: options.logger,
    async hasContent(padId) {
      // Writes on their way to the store count (an open pad's first keystrokes).
      await rooms.commits.drain();
      const room = rooms.peek(padId);
      if (room && room.progress.lastSeq > 0) return true;
      return ((await pads.getPad(padId))?.lastSeq ?? 0) > 0;
    },
    maxPadBytes: options.maxPadBytes,
    imported: options.padChanged,
  });
  let slice = performance.now();
  const exporter = new EtherpadExporter({
    history: options.history,
    indexer: options.indexer,
    rooms,
    etherpad: options.etherpad,
    padInfo: (padId) => pads.getPad(padId),
    profiles: (ids) => pads.getAuthors(ids),
    async yieldEvery() {
      if (performance.now() - slice < SLICE_MS) return;
      await nextTurn();
      slice = performance.now();
    },
  });
  await http.register(etherpadRoutes, {
    store: options.etherpad,
    importer,
    exporter,
    adminToken: options.adminToken,
    maxImportBytes: options.maxImportBytes,
    canWrite: (req, padId) => options.policy.canWrite(padId, editKeyOf(req)),
  });
  await http.register(etherpadApi, {
    adminToken: options.adminToken,
    logger: options.logger,
    context: {
      rooms,
      pads,
      events: options.events,
      history: options.padHistory,
      historyStore: options.history,
      etherpad: options.etherpad,
      search: { changed: options.padChanged, removed: options.padRemoved },
      schema: padSchema(),
    },
  });
  return { importer, exporter };
}
