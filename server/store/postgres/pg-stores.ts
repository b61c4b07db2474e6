/** The PostgreSQL store bundle: one pool for queries, a small one for advisory locks, migrations applied first. */
import type { Stores } from '../stores.js';
import { StorageHealth } from '../storage-health.js';
import { PgEtherpadStore } from './pg-etherpad.js';
import { PgEventStore } from './pg-events.js';
import { PgHistoryStore } from './pg-history.js';
import { PgWorkLease } from './pg-lease.js';
import { migratePostgres } from './pg-migrations.js';
import { PgPadStore } from './pg-pad-store.js';
import { createPool } from './pg-pool.js';
import { PgSearchIndex } from './pg-search.js';

export async function openPostgresStores(url: string): Promise<Stores> {
  const pool = createPool(url, { max: 10 });
  const lockPool = createPool(url, { max: 4 });
  try {
    await migratePostgres(pool);
  } catch (err) {
    await Promise.all([pool.end(), lockPool.end()]);
    throw err;
  }
  const pads = new PgPadStore(pool);
  return {
    kind: 'postgres',
    pads,
    events: new PgEventStore(pool),
    search: new PgSearchIndex(pool),
    history: new PgHistoryStore(pool),
    access: pads,
    etherpad: new PgEtherpadStore(pool),
    lease: new PgWorkLease(lockPool),
    sqlite: null,
    journal: null,
    health: new StorageHealth({
      dataDir: null,
      probe: async () => {
        await pool.query('INSERT INTO storage_probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at', [Date.now()]);
      },
    }),
    async close() {
      await Promise.all([pool.end(), lockPool.end()]);
    },
  };
}
