/**
 * Settings, from environment variables with matching command-line flags (flags win).
 * `--help` prints this table.
 */
import { parseArgs } from 'node:util';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  adminToken: string | null;
  publicUrl: string | null;
  logLevel: string;
  /** Largest WebSocket frame accepted, bytes. Bigger frames close the connection with 1009. */
  maxMessageBytes: number;
  /** A connection whose unsent data passes this many bytes is dropped (it stopped reading). */
  maxBufferedBytes: number;
  /** How long a pad stays in memory after its last connection leaves, ms. */
  unloadDelayMs: number;
  /** Interval between WebSocket pings; a connection that missed one pong is dropped, ms. */
  keepaliveMs: number;
  /** Write a snapshot after this many updates since the last one, so loads stay short. */
  snapshotEvery: number;
  /** Pads whose snapshot is at least this big, bytes, get their next snapshots built in a worker thread. */
  snapshotWorkerBytes: number;
  /** SQLite `synchronous` pragma: FULL survives power loss, NORMAL only a process crash. */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** History: consecutive updates of one author within this many ms of a revision's first form one revision. */
  revisionWindowMs: number;
  /** Largest markdown or text body `PUT /api/v1/pads/<padId>/content` accepts, bytes. */
  maxImportBytes: number;
  /** Largest .etherpad file an import accepts, bytes. */
  maxEtherpadImportBytes: number;
  /** Largest encoded size of one pad, bytes; writes that would pass it are refused. */
  maxPadBytes: number;
  /** Origins allowed to open WebSockets, comma-separated; the page's own origin always is. */
  allowedOrigins: string | null;
  /** Per connection: updates a second (sustained); bursts up to 10 s worth pass. */
  maxUpdatesPerSecond: number;
  /** Per connection: update bytes a second (sustained); one frame up to MAX_MESSAGE_BYTES passes. */
  maxBytesPerSecond: number;
  /** Open WebSockets per IP address. High: a whole venue shares one NAT address. */
  maxConnectionsPerIp: number;
  /** A connection that has not sent sync step 1 by then is closed, ms. */
  handshakeTimeoutMs: number;
  /** HTTP writes (POST, PUT, PATCH, DELETE) one address may make per minute; admin calls are not counted. */
  httpWritesPerMinute: number;
  /** Per connection: server time it may use, ms a second (sustained); past it the connection is closed (1008). */
  cpuBudgetMsPerSecond: number;
  /** Per connection: server time that may be used at once, ms. */
  cpuBudgetBurstMs: number;
  /** New WebSockets are refused (1013) while the event loop runs this many ms late or more; 0 never refuses. */
  overloadLagMs: number;
}

interface Setting {
  key: keyof Config;
  env: string;
  flag: string;
  kind: 'string' | 'number' | 'optional';
  default: string | number | null;
  help: string;
}

export const SETTINGS: readonly Setting[] = [
  { key: 'port', env: 'PORT', flag: 'port', kind: 'number', default: 8080, help: 'HTTP and WebSocket port' },
  { key: 'host', env: 'HOST', flag: 'host', kind: 'string', default: '127.0.0.1', help: 'address to listen on' },
  { key: 'dataDir', env: 'DATA_DIR', flag: 'data-dir', kind: 'string', default: './data', help: 'folder for the SQLite database' },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    flag: 'database-url',
    kind: 'optional',
    default: null,
    help: 'PostgreSQL URL; when set, used instead of SQLite',
  },
  { key: 'redisUrl', env: 'REDIS_URL', flag: 'redis-url', kind: 'optional', default: null, help: 'Redis URL for several server processes' },
  {
    key: 'adminToken',
    env: 'ADMIN_TOKEN',
    flag: 'admin-token',
    kind: 'optional',
    default: null,
    help: 'bearer token for admin API calls; unset disables them',
  },
  {
    key: 'publicUrl',
    env: 'PUBLIC_URL',
    flag: 'public-url',
    kind: 'optional',
    default: null,
    help: 'the URL people use, for links and allowed origins',
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    flag: 'log-level',
    kind: 'string',
    default: 'info',
    help: 'fatal, error, warn, info, debug, trace or silent',
  },
  {
    key: 'maxMessageBytes',
    env: 'MAX_MESSAGE_BYTES',
    flag: 'max-message-bytes',
    kind: 'number',
    default: 8 * 1024 * 1024,
    help: 'largest WebSocket frame, bytes',
  },
  {
    key: 'maxBufferedBytes',
    env: 'MAX_BUFFERED_BYTES',
    flag: 'max-buffered-bytes',
    kind: 'number',
    default: 16 * 1024 * 1024,
    help: 'unsent bytes after which a slow client is dropped',
  },
  {
    key: 'unloadDelayMs',
    env: 'UNLOAD_DELAY_MS',
    flag: 'unload-delay-ms',
    kind: 'number',
    default: 10_000,
    help: 'ms a pad stays loaded after its last client leaves',
  },
  { key: 'keepaliveMs', env: 'KEEPALIVE_MS', flag: 'keepalive-ms', kind: 'number', default: 30_000, help: 'ms between WebSocket pings' },
  {
    key: 'snapshotEvery',
    env: 'SNAPSHOT_EVERY',
    flag: 'snapshot-every',
    kind: 'number',
    default: 500,
    help: 'fewest updates between snapshots (a snapshot also waits for new bytes worth a quarter of the last one)',
  },
  {
    key: 'snapshotWorkerBytes',
    env: 'SNAPSHOT_WORKER_BYTES',
    flag: 'snapshot-worker-bytes',
    kind: 'number',
    default: 64 * 1024,
    help: 'pads whose snapshot is at least this big, bytes, get later snapshots built in a worker thread instead of on the event loop (single process)',
  },
  {
    key: 'maxPadBytes',
    env: 'MAX_PAD_BYTES',
    flag: 'max-pad-bytes',
    kind: 'number',
    default: 5 * 1024 * 1024,
    help: 'largest encoded pad, bytes',
  },
  {
    key: 'allowedOrigins',
    env: 'ALLOWED_ORIGINS',
    flag: 'allowed-origins',
    kind: 'optional',
    default: null,
    help: 'extra origins allowed to open WebSockets, comma-separated (PUBLIC_URL and same-origin always are)',
  },
  {
    key: 'maxUpdatesPerSecond',
    env: 'MAX_UPDATES_PER_SECOND',
    flag: 'max-updates-per-second',
    kind: 'number',
    default: 50,
    help: 'sustained updates a second per connection',
  },
  {
    key: 'maxBytesPerSecond',
    env: 'MAX_BYTES_PER_SECOND',
    flag: 'max-bytes-per-second',
    kind: 'number',
    default: 1024 * 1024,
    help: 'sustained update bytes a second per connection',
  },
  {
    key: 'maxConnectionsPerIp',
    env: 'MAX_CONNECTIONS_PER_IP',
    flag: 'max-connections-per-ip',
    kind: 'number',
    default: 5000,
    help: 'open WebSockets per IP address',
  },
  {
    key: 'httpWritesPerMinute',
    env: 'HTTP_WRITES_PER_MINUTE',
    flag: 'http-writes-per-minute',
    kind: 'number',
    default: 600,
    help: 'HTTP writes (imports, restores, ...) per address per minute; admin calls are not counted',
  },
  {
    key: 'cpuBudgetMsPerSecond',
    env: 'CPU_BUDGET_MS_PER_SECOND',
    flag: 'cpu-budget-ms-per-second',
    kind: 'number',
    default: 100,
    help: 'server time one connection may use, ms a second (sustained); more closes it with 1008',
  },
  {
    key: 'cpuBudgetBurstMs',
    env: 'CPU_BUDGET_BURST_MS',
    flag: 'cpu-budget-burst-ms',
    kind: 'number',
    default: 1000,
    help: 'server time one connection may use at once, ms',
  },
  {
    key: 'overloadLagMs',
    env: 'OVERLOAD_LAG_MS',
    flag: 'overload-lag-ms',
    kind: 'number',
    default: 500,
    help: 'refuse new WebSockets (1013) while the event loop lags this many ms; 0: never',
  },
  {
    key: 'handshakeTimeoutMs',
    env: 'HANDSHAKE_TIMEOUT_MS',
    flag: 'handshake-timeout-ms',
    kind: 'number',
    default: 10_000,
    help: 'ms a new connection has to send sync step 1',
  },
  {
    key: 'revisionWindowMs',
    env: 'REVISION_WINDOW_MS',
    flag: 'revision-window-ms',
    kind: 'number',
    default: 2000,
    help: "ms of one author's edits grouped into one history revision",
  },
  {
    key: 'maxImportBytes',
    env: 'MAX_IMPORT_BYTES',
    flag: 'max-import-bytes',
    kind: 'number',
    default: 1024 * 1024,
    help: 'largest markdown or text import, bytes',
  },
  {
    key: 'maxEtherpadImportBytes',
    env: 'MAX_ETHERPAD_IMPORT_BYTES',
    flag: 'max-etherpad-import-bytes',
    kind: 'number',
    default: 32 * 1024 * 1024,
    help: 'largest .etherpad file an import accepts, bytes',
  },
  {
    key: 'sqliteSynchronous',
    env: 'SQLITE_SYNCHRONOUS',
    flag: 'sqlite-synchronous',
    kind: 'string',
    default: 'FULL',
    help: 'FULL or NORMAL',
  },
];

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function helpText(): string {
  const rows = SETTINGS.map((s) => `  --${s.flag.padEnd(20)} ${s.env.padEnd(20)} ${s.help} (default: ${s.default ?? 'unset'})`);
  return [
    'Usage: gatherpad [options]',
    '',
    '  flag                   env var',
    ...rows,
    '  --help                 print this help',
    '',
  ].join('\n');
}

/** Reads settings from `env` and `argv`. Throws ConfigError with a readable message. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config & { help: boolean } {
  const options = Object.fromEntries([
    ...SETTINGS.map((s) => [s.flag, { type: 'string' as const }]),
    ['help', { type: 'boolean' as const, short: 'h' }],
  ]);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const config: Record<string, unknown> = { help: values.help === true };
  for (const s of SETTINGS) {
    const raw = (values[s.flag] as string | undefined) ?? env[s.env];
    if (raw === undefined || raw === '') {
      config[s.key] = s.default;
    } else if (s.kind === 'number') {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${s.env} (--${s.flag}) must be a whole number, got "${raw}"`);
      config[s.key] = n;
    } else {
      config[s.key] = raw;
    }
  }
  const result = config as unknown as Config & { help: boolean };
  if (result.port > 65535) throw new ConfigError(`PORT must be at most 65535, got ${result.port}`);
  if (result.sqliteSynchronous !== 'FULL' && result.sqliteSynchronous !== 'NORMAL') {
    throw new ConfigError(`SQLITE_SYNCHRONOUS must be FULL or NORMAL, got "${result.sqliteSynchronous}"`);
  }
  return result;
}
