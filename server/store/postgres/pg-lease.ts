/**
 * One process at a time for snapshots and history compaction: PostgreSQL session advisory
 * locks, keyed by a 64-bit hash of the lease name. The lock lives on a connection of its own
 * pool (so waiters never starve the queries of the holder); if the holder dies, PostgreSQL
 * drops its session and the lock with it, and the next process to try takes over.
 */
import type pg from 'pg';
import type { WorkLease } from '../../sync/types.js';
import { watchClient } from './pg-pool.js';

export class PgWorkLease implements WorkLease {
  constructor(private readonly lockPool: pg.Pool) {}

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.withLock(key, 'pg_advisory_lock', fn).then((result) => result.value as T);
  }

  async tryRun(key: string, fn: () => Promise<void>): Promise<boolean> {
    return (await this.withLock(key, 'pg_try_advisory_lock', fn)).ran;
  }

  private async withLock<T>(
    key: string,
    lock: 'pg_advisory_lock' | 'pg_try_advisory_lock',
    fn: () => Promise<T>,
  ): Promise<{ ran: boolean; value?: T }> {
    const client = await this.lockPool.connect();
    const watch = watchClient(client);
    let broken = false;
    try {
      const { rows } = await client.query<{ locked: boolean | string }>(
        `SELECT ${lock}(('x' || substr(md5($1), 1, 16))::bit(64)::bigint)${lock === 'pg_advisory_lock' ? ', true' : ''} AS locked`,
        [key],
      );
      if (rows[0].locked !== true) return { ran: false };
      try {
        return { ran: true, value: await fn() };
      } finally {
        await client.query(`SELECT pg_advisory_unlock(('x' || substr(md5($1), 1, 16))::bit(64)::bigint)`, [key]).catch(() => {
          broken = true;
        });
      }
    } finally {
      watch.done();
      client.release(broken || watch.failed());
    }
  }
}
