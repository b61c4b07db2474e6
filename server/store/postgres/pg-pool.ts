/**
 * The PostgreSQL connection pool and the helpers every PostgreSQL store file uses. `bigint`
 * columns (seqs, ms times) come back as JS numbers: they stay far below 2^53.
 */
import pg from 'pg';

const INT8 = 20;

/** Type parsers for this pool only: int8 as number, everything else as `pg` does it. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PgPoolOptions {
  /** Most connections this process opens (default 10). */
  max?: number;
  /** Give up connecting after this many ms, so a database that is down fails fast (default 5000). */
  connectionTimeoutMillis?: number;
}

export function createPool(url: string, options: PgPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client whose server went away emits 'error' on the pool; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Watches a checked-out client: its connection can fail while in use (PostgreSQL restarting),
 * and an 'error' event without a listener would end the process. Call `done()` before release.
 */
export function watchClient(client: pg.PoolClient): { failed(): boolean; done(): void } {
  let failed = false;
  const onError = () => {
    failed = true;
  };
  client.on('error', onError);
  return { failed: () => failed, done: () => client.off('error', onError) };
}

/** Runs `fn` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
export async function transaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  mode: 'read write' | 'repeatable read only' = 'read write',
): Promise<T> {
  const client = await pool.connect();
  const watch = watchClient(client);
  let broken = false;
  try {
    await client.query(mode === 'read write' ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    watch.done();
    client.release(broken || watch.failed());
  }
}

/** A bytea value as a Uint8Array view (no copy). */
export function bytes(value: Buffer): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}
