/**
 * Which errors mean "the storage cannot take writes now" (a full disk, an I/O error, a
 * read-only file, an unreachable database), as opposed to a bug or bad input. Such errors
 * answer HTTP 503 (try again later), and /healthz reports them.
 */

const SQLITE_REASONS: readonly [RegExp, string][] = [
  [/^SQLITE_FULL/, 'the disk is full'],
  [/^SQLITE_IOERR/, 'the disk cannot be written (I/O error)'],
  [/^SQLITE_READONLY/, 'the database file is read-only'],
  [/^SQLITE_CANTOPEN/, 'the database file cannot be opened'],
];

const ERRNO_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EIO: 'the disk cannot be written (I/O error)',
  EROFS: 'the filesystem is read-only',
  ECONNREFUSED: 'the database cannot be reached',
  ECONNRESET: 'the connection to the database broke',
  ETIMEDOUT: 'the database does not answer',
  EPIPE: 'the connection to the database broke',
};

/** PostgreSQL SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
function postgresReason(sqlState: string): string | null {
  if (sqlState === '53100') return "the database server's disk is full";
  if (sqlState.startsWith('53')) return 'the database server is out of resources';
  if (sqlState.startsWith('58')) return 'the database server cannot write (I/O error)';
  if (sqlState.startsWith('08')) return 'the database cannot be reached';
  if (sqlState === '57P01' || sqlState === '57P02' || sqlState === '57P03') return 'the database server is shutting down or starting';
  if (sqlState === '25006') return 'the database is read-only';
  return null;
}

/** Why storage cannot take writes, for people ("the disk is full"), or null if `err` is not about storage. */
export function storageFailureReason(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (err.name === 'SqliteError') return SQLITE_REASONS.find(([pattern]) => pattern.test(code))?.[1] ?? null;
    if (code in ERRNO_REASONS) return ERRNO_REASONS[code];
    if (/^[0-9A-Z]{5}$/.test(code)) return postgresReason(code);
  }
  // node-postgres reports a lost connection without a code.
  if (/^Connection terminated/.test(err.message)) return 'the connection to the database broke';
  return null;
}
