/**
 * Builds a Gatherpad server from a Config: the store, the rooms, the WebSocket gateway and the
 * Fastify routes on one HTTP server. `main.ts` runs it; tests start it on a free port.
 */
import helmet from '@fastify/helmet';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { CloseCode, CloseReason } from '../common/protocol.js';
import type { Config } from './config.js';
import { AccessPolicy } from './access/access-policy.js';
import { originChecker } from './access/origins.js';
import { accessApi, accessHooks, readOnlyRewriter } from './http/access.js';
import { ApiError, errorBody } from './errors.js';
import { authorCookie, authorFromCookieHeader, newAnonymousAuthorId, newAuthorId } from './http/author-cookie.js';
import { registerEvents, type EventsFeature } from './http/events-feature.js';
import { healthPlugin } from './http/health.js';
import { registerOpenApi } from './http/openapi.js';
import { registerCrossSiteCheck } from './http/cross-site.js';
import { clientErrorHandler, frameworkErrors } from './http/framework-errors.js';
import { registerWriteLimits } from './http/write-limits.js';
import { pagesPlugin } from './http/pages.js';
import { ErrorPage, isPageRequest } from './http/error-page.js';
import { markdownApi } from './http/markdown.js';
import { recapsApi } from './http/recaps.js';
import { RecapService } from './events/recap-service.js';
import { padsPlugin } from './http/pads.js';
import { historyApi } from './http/history.js';
import { boardApi } from './http/board.js';
import { AfterCommitWork } from './background/after-commit-work.js';
import { BusyGate } from './background/busy-gate.js';
import { CpuShare } from './background/cpu-share.js';
import { LoopLag } from './background/loop-lag.js';
import { HistoryIndexer } from './history/history-indexer.js';
import { PadHistory } from './history/pad-history.js';
import { HistoryWorker } from './history/history-worker.js';
import { createMetrics } from './metrics.js';
import { projectRoot } from './project-root.js';
import type Database from 'better-sqlite3';
import { ClusterPresence } from './cluster/cluster-presence.js';
import { RedisBus } from './cluster/redis-bus.js';
import { readOnlyResolver } from './http/read-only-resolver.js';
import type { PadStore } from './store/pad-store.js';
import { openStores, type Stores } from './store/stores.js';
import { watchedSyncStore } from './store/watched-sync-store.js';
import { ChatGuard } from './chat/chat-guard.js';
import { registerEtherpad } from './etherpad/feature.js';
import { Rooms } from './sync/rooms.js';
import { WebSocketGateway } from './sync/websocket-gateway.js';

export interface Gatherpad {
  http: FastifyInstance;
  rooms: Rooms;
  store: PadStore;
  /** Every store, SQLite or PostgreSQL (DATABASE_URL). */
  stores: Stores;
  /** The SQLite database when on SQLite (tests, backups); null on PostgreSQL. */
  db: Database.Database | null;
  gateway: WebSocketGateway;
  /** Starts listening; resolves with the base URL (http://host:port). */
  listen(): Promise<string>;
  /** Closes connections, commits what is pending, writes snapshots, closes the store. */
  close(): Promise<void>;
}

export async function createGatherpad(config: Config): Promise<Gatherpad> {
  const http = Fastify({
    rewriteUrl: readOnlyRewriter((readOnlyId) => store.padIdForReadOnlyIdNow(readOnlyId)),
    logger: { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    // Long ids must reach the route to get a clear 400; longer ones get a 414 (framework-errors.ts).
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors,
    clientErrorHandler,
    // One line per request drowns the sync logs; at debug level they are useful.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });
  const logger = http.log;
  const stores = await openStores(config, logger);
  const store = stores.pads;
  const metrics = createMetrics();
  const historyStore = stores.history;
  const historyIndexer = new HistoryIndexer(historyStore, { windowMs: config.revisionWindowMs, lease: stores.lease });
  const cluster = config.redisUrl ? new RedisBus({ url: config.redisUrl, logger }) : undefined;
  let presence: ClusterPresence | undefined;
  const busy = new BusyGate();
  const loopLag = new LoopLag();
  const cpuShare = new CpuShare();
  const historyCatchUp = new AfterCommitWork(
    (padId) => historyIndexer.catchUp(padId, { background: true }).then(() => undefined),
    logger,
    'history catch-up',
    {
      load: busy,
      // History requests catch up on their own: under constant typing, once a minute is enough.
      maxDelayMs: 60_000,
    },
  );
  let events: EventsFeature | undefined;
  const chatGuard = new ChatGuard(logger);
  const rooms = new Rooms({
    store: watchedSyncStore(store, stores.health),
    logger,
    unloadDelayMs: config.unloadDelayMs,
    snapshotEvery: config.snapshotEvery,
    snapshotWorkerBytes: config.snapshotWorkerBytes,
    maxPadBytes: config.maxPadBytes,
    observeCommit: metrics.observeCommit,
    observeSnapshot: metrics.observeSnapshot,
    cluster,
    lease: stores.lease,
    onCommitted: (room) => {
      historyCatchUp.committed(room.padId);
      events?.padCommitted(room.padId);
      chatGuard.committed(room);
    },
    onAuthorProfile: (author, profile) => {
      store.saveAuthor(author, profile).catch((err: unknown) => logger.warn({ err }, 'could not save author profile'));
    },
  });
  const secureCookies = config.publicUrl?.startsWith('https:') ?? false;
  const accessPolicy = new AccessPolicy(stores.access);
  const originAllowed = originChecker(config.publicUrl, config.allowedOrigins);
  const gateway = new WebSocketGateway({
    rooms,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    maxBufferedBytes: config.maxBufferedBytes,
    keepaliveMs: config.keepaliveMs,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    limits: {
      updatesPerSecond: config.maxUpdatesPerSecond,
      bytesPerSecond: config.maxBytesPerSecond,
      maxMessageBytes: config.maxMessageBytes,
      handshakeTimeoutMs: config.handshakeTimeoutMs,
      cpuMsPerSecond: config.cpuBudgetMsPerSecond,
      cpuBurstMs: config.cpuBudgetBurstMs,
    },
    originAllowed,
    async resolveAccess(segment, token) {
      const access = await accessPolicy.resolve(segment, token);
      return access.ok ? { ok: true, padId: access.padId, canWrite: access.role === 'editor', notice: access.notice } : access;
    },
    overloaded: () => config.overloadLagMs > 0 && loopLag.lagMs >= config.overloadLagMs,
    onShed: metrics.connectionShed,
    onOverBudget: metrics.connectionOverBudget,
    cpuShare: () => cpuShare.value,
    identify(req) {
      const known = authorFromCookieHeader(req.headers.cookie);
      if (known) return { author: known, setCookie: null };
      // A browser keeps the cookie for its next connection; a script never sends it back.
      return { author: newAnonymousAuthorId(), setCookie: authorCookie(newAuthorId(), secureCookies) };
    },
  });
  metrics.track(rooms, gateway, stores.journal, loopLag);

  http.server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));

  http.addHook('onRequest', async (req, reply) => {
    if (req.method === 'GET' && !req.url.startsWith('/api/') && !authorFromCookieHeader(req.headers.cookie)) {
      reply.header('Set-Cookie', authorCookie(newAuthorId(), secureCookies));
    }
  });

  const errorPage = new ErrorPage(join(projectRoot(), 'dist', 'client'));
  /** JSON for the API; for a browser asking for a page, a page that explains (error-page.ts). */
  const sendError = (req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string) =>
    isPageRequest(req)
      ? reply
          .status(status)
          .type('text/html; charset=utf-8')
          .header('Cache-Control', 'no-store')
          .send(errorPage.render(status, code, message))
      : reply.status(status).send(errorBody(code, message));

  http.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) {
      // 503s are the server's load or storage: worth trying again shortly.
      if (err.status === 503) reply.header('retry-after', '5');
      return sendError(req, reply, err.status, err.code, err.message);
    }
    if (err.validation) return reply.status(400).send(errorBody('bad_request', err.message));
    const storage = stores.health.failed(err);
    if (storage !== null) {
      req.log.warn({ err }, 'request failed: storage cannot take writes');
      return reply
        .status(503)
        .header('retry-after', '30')
        .send(errorBody('storage_unavailable', `Nothing can be stored right now (${storage}); try again later.`));
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return sendError(req, reply, 500, 'internal_error', 'Something went wrong on the server.');
    }
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    return sendError(req, reply, status, code, err.message);
  });
  http.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0].slice(0, 200);
    if (isPageRequest(req)) return sendError(req, reply, 404, 'not_found', `There is nothing at ${path}.`);
    return reply.status(404).send(errorBody('not_found', `Nothing at ${req.method} ${path}`));
  });

  await http.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  // Hooks on the root instance, so they cover every route registered below.
  await registerCrossSiteCheck(http, { originAllowed, adminToken: config.adminToken });
  await registerWriteLimits(http, { perMinute: config.httpWritesPerMinute, adminToken: config.adminToken });
  await accessHooks(http, { policy: accessPolicy, store, adminToken: config.adminToken });
  await registerOpenApi(http, { version: '1' });
  await http.register(healthPlugin, { registry: metrics.registry, storage: () => stores.health.check() });
  await http.register(pagesPlugin, {
    clientDir: join(projectRoot(), 'dist', 'client'),
    resolveReadOnlyId: (id) => store.padIdForReadOnlyId(id),
    resolveAlias: (name) => stores.etherpad.aliasTarget(name),
  });
  await http.register(accessApi, { prefix: '/api/v1', policy: accessPolicy, store, adminToken: config.adminToken });
  await http.register(padsPlugin, {
    prefix: '/api/v1',
    store,
    rooms,
    adminToken: config.adminToken,
    async label(padId) {
      const place = (await events?.service.placeOfPad(padId)) ?? null;
      const titled = (await stores.events.listPads(padId)).find((pad) => pad.id === padId);
      return { title: titled?.title ?? null, event: place?.event.name ?? null, team: place?.team.name ?? null };
    },
  });
  await http.register(readOnlyResolver, { prefix: '/api/v1', store });
  events = await registerEvents(http, {
    events: stores.events,
    search: stores.search,
    rooms,
    logger,
    adminToken: config.adminToken,
    publicUrl: config.publicUrl,
    load: busy,
    elsewhere: (padId) => presence?.elsewhere(padId) ?? 0,
  });
  const eventsFeature = events;
  await http.register(markdownApi, {
    prefix: '/api/v1',
    store,
    rooms,
    maxImportBytes: config.maxImportBytes,
    maxPadBytes: config.maxPadBytes,
  });
  const recaps = new RecapService({ events: eventsFeature.service, pads: store, rooms, history: historyStore });
  await http.register(recapsApi, { prefix: '/api/v1', recaps, publicUrl: config.publicUrl });
  const historyWorker = new HistoryWorker();
  http.addHook('onClose', () => historyWorker.close());
  const history = new PadHistory({
    store: historyStore,
    indexer: historyIndexer,
    rooms,
    worker: historyWorker,
    profiles: (ids) => store.getAuthors(ids),
    publicIds: (ids) => store.publicAuthorIds(ids),
    padInfo: (padId) => store.getPad(padId),
  });
  await http.register(historyApi, {
    prefix: '/api/v1',
    history,
    adminToken: config.adminToken,
    resolveReadOnlyId: (id) => store.padIdForReadOnlyId(id),
  });
  await http.register(boardApi, { prefix: '/api/v1', store, rooms, history });
  await registerEtherpad(http, {
    etherpad: stores.etherpad,
    pads: store,
    history: historyStore,
    indexer: historyIndexer,
    padHistory: history,
    rooms,
    policy: accessPolicy,
    logger,
    adminToken: config.adminToken,
    maxImportBytes: config.maxEtherpadImportBytes,
    maxPadBytes: config.maxPadBytes,
    events: stores.events,
    padChanged: (padId) => eventsFeature.padCommitted(padId),
    padRemoved: async (padId) => {
      eventsFeature.indexer.cancel(padId);
      await stores.search.remove(padId);
    },
  });

  let closing: Promise<void> | null = null;
  return {
    http,
    rooms,
    store,
    stores,
    db: stores.sqlite,
    gateway,
    async listen() {
      await rooms.start();
      if (cluster) {
        presence = new ClusterPresence({ bus: cluster, local: () => rooms.peerCounts(), logger });
        await presence.refresh();
      }
      await http.listen({ host: config.host, port: config.port });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    },
    close() {
      closing ??= (async () => {
        gateway.closeAll(CloseCode.goingAway, CloseReason.restarting);
        await events?.close();
        await rooms.closeAll(CloseCode.goingAway, CloseReason.restarting);
        historyCatchUp.stop();
        presence?.stop();
        busy.stop();
        loopLag.stop();
        cpuShare.stop();
        await historyIndexer.settle();
        await http.close();
        await cluster?.close();
        await stores.close();
      })();
      return closing;
    },
  };
}
