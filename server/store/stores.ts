/**
 * Every storage interface the server uses, from one backend: SQLite (the default, one file
 * under DATA_DIR) or PostgreSQL when DATABASE_URL is set (migrations applied at start). The
 * rest of the server sees only the interfaces; `sync/` sees only `SyncStore` and `WorkLease`.
 */
import type Database from 'better-sqlite3';
import type { AccessLookups } from '../access/access-policy.js';
import type { EtherpadStore } from '../etherpad/etherpad-store.js';
import type { EventStore } from '../events/event-store.js';
import type { HistoryStore } from '../history/types.js';
import type { SearchIndex } from '../search/search-index.js';
import { LOCAL_LEASE, type Logger, type WorkLease } from '../sync/types.js';
import type { PadStore } from './pad-store.js';
import { SqliteAccessLookups } from './sqlite-access.js';
import { SqliteEtherpadStore } from './sqlite-etherpad.js';
import { SqliteEventStore } from './sqlite-events.js';
import { SqliteHistoryStore } from './sqlite-history.js';
import { SqliteSearchIndex } from './sqlite-search.js';
import { SqliteStore } from './sqlite-store.js';
import { StorageHealth } from './storage-health.js';

export interface Stores {
  kind: 'sqlite' | 'postgres';
  pads: PadStore;
  events: EventStore;
  search: SearchIndex;
  history: HistoryStore;
  access: AccessLookups;
  /** Etherpad imports, old names, pad copies. */
  etherpad: EtherpadStore;
  /** One process at a time for snapshots and history compaction. */
  lease: WorkLease;
  /** The SQLite database (tests, backups); null on PostgreSQL. */
  sqlite: Database.Database | null;
  /** SQLite's update journal (its backlog is a metric); null on PostgreSQL. */
  journal: { readonly waitingRows: number } | null;
  /** Whether storage takes writes now (for /healthz). */
  health: StorageHealth;
  close(): Promise<void>;
}

export interface StoresConfig {
  dataDir: string;
  databaseUrl: string | null;
  sqliteSynchronous: 'FULL' | 'NORMAL';
}

/** `logger` hears of storage work that fails in the background. */
export async function openStores(config: StoresConfig, logger?: Logger): Promise<Stores> {
  if (config.databaseUrl) {
    const { openPostgresStores } = await import('./postgres/pg-stores.js');
    return openPostgresStores(config.databaseUrl);
  }
  return openSqliteStores(config, logger);
}

export function openSqliteStores(config: Pick<StoresConfig, 'dataDir' | 'sqliteSynchronous'>, logger?: Logger): Stores {
  let health: StorageHealth | null = null;
  const pads = new SqliteStore({
    dataDir: config.dataDir,
    synchronous: config.sqliteSynchronous,
    logger,
    onBackgroundFailure: (err) => health?.failed(err),
  });
  health = new StorageHealth({ dataDir: config.dataDir, probe: () => pads.probeWrite() });
  return {
    kind: 'sqlite',
    pads,
    events: new SqliteEventStore(pads.db, pads.journal),
    search: new SqliteSearchIndex(pads.derivedDb()),
    history: new SqliteHistoryStore(pads.derivedDb(), pads.journal),
    access: new SqliteAccessLookups(pads),
    etherpad: new SqliteEtherpadStore(pads.db, pads.journal),
    lease: LOCAL_LEASE,
    sqlite: pads.db,
    journal: pads.journal,
    health,
    async close() {
      pads.close();
    },
  };
}
