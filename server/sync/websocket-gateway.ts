/**
 * Accepts WebSocket upgrades on `/ws/<padId>` (the y-websocket URL form) and turns each into a
 * Connection attached to its room. Requests that cannot become a valid connection are refused
 * before the upgrade with an HTTP status and a JSON error.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ACK_PARAM, CloseCode, CloseReason } from '../../common/protocol.js';
import { closeSocket } from './close-error.js';
import { Connection, type ConnectionLimits } from './connection.js';
import { Keepalive } from './keepalive.js';
import type { Rooms } from './rooms.js';
import type { Logger } from './types.js';
import { withCloseTimeout } from './ws-internals.js';

export interface Identity {
  author: string;
  /** A Set-Cookie header value to send with the upgrade response, for a new author. */
  setCookie: string | null;
}

/** What a path segment (pad id or read-only id) and token give access to. */
export type RoomAccess =
  | { ok: true; padId: string; canWrite: boolean; notice: string | null }
  | { ok: false; status: number; code: string; message: string };

export interface GatewayOptions {
  rooms: Rooms;
  logger: Logger;
  maxMessageBytes: number;
  maxBufferedBytes: number;
  keepaliveMs: number;
  maxConnectionsPerIp: number;
  limits: ConnectionLimits;
  identify(req: IncomingMessage): Identity;
  /** True if a browser page from `origin` may open pad sockets (cross-site WebSocket hijacking). */
  originAllowed(origin: string, req: IncomingMessage): boolean;
  resolveAccess(segment: string, token: string | null): Promise<RoomAccess>;
  /**
   * True while the server is too busy to take another connection: new ones are closed with 1013
   * (a stock client retries later) and the ones open carry on. Never, by default.
   */
  overloaded?(): boolean;
  /** Called for each connection refused because the server was overloaded. */
  onShed?(): void;
  /** Called for each connection closed for using more server time than its budget. */
  onOverBudget?(): void;
  /** See ConnectionOptions.cpuShare; 1 by default. */
  cpuShare?(): number;
}

const WS_PATH = /^\/ws\/([^/?#]*)$/;
/** How long a closed socket waits for the client's close frame before it is destroyed, ms (ws: 30 s). */
const CLOSE_TIMEOUT_MS = 2000;

export class WebSocketGateway {
  readonly connections = new Set<Connection>();
  private readonly wss: WebSocketServer;
  private readonly keepalive: Keepalive;
  private readonly pendingCookies = new WeakMap<IncomingMessage, string>();
  private readonly perIp = new Map<string, number>();
  private readonly cpuShare: () => number;

  constructor(private readonly options: GatewayOptions) {
    this.wss = new WebSocketServer(
      // No compression: fan-out writes frames to the socket itself (ws-internals.ts).
      withCloseTimeout(
        { noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false, clientTracking: false },
        CLOSE_TIMEOUT_MS,
      ),
    );
    this.wss.on('headers', (headers, req) => {
      const cookie = this.pendingCookies.get(req);
      if (cookie) headers.push(`Set-Cookie: ${cookie}`);
    });
    this.keepalive = new Keepalive(options.keepaliveMs);
    this.cpuShare = options.cpuShare ?? (() => 1);
  }

  /** For the HTTP server's 'upgrade' event. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.upgrade(req, socket, head).catch((err: unknown) => {
      this.options.logger.error({ err }, 'upgrade failed');
      refuse(socket, 500, 'internal_error', 'Something went wrong on the server.');
    });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // Match the raw path: URL parsing would resolve `%2e%2e` segments before we could refuse them.
    const target = req.url ?? '/';
    const queryStart = target.indexOf('?');
    const path = queryStart === -1 ? target : target.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
    const match = WS_PATH.exec(path);
    if (!match) {
      refuse(socket, 404, 'not_found', 'WebSocket endpoint is /ws/<padId>');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.options.originAllowed(origin, req)) {
      refuse(socket, 403, 'origin_not_allowed', 'Pads cannot be opened from this site.');
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    if ((this.perIp.get(ip) ?? 0) >= this.options.maxConnectionsPerIp) {
      refuse(socket, 429, 'too_many_connections', 'Too many open connections from this address.');
      return;
    }
    if (this.options.overloaded?.()) {
      this.options.onShed?.();
      this.wss.handleUpgrade(req, socket, head, (ws) => closeSocket(ws, CloseCode.tryAgainLater, CloseReason.overloaded));
      return;
    }
    let access;
    try {
      access = await this.options.resolveAccess(match[1], query.get('token'));
    } catch (err) {
      // The access lookup needs the store: while it is unreachable, tell the client to retry
      // (a stock provider reconnects after a close, but sees an HTTP error as a failed attempt).
      this.options.logger.warn({ err }, 'access lookup failed');
      if (!socket.destroyed)
        this.wss.handleUpgrade(req, socket, head, (ws) => closeSocket(ws, CloseCode.tryAgainLater, CloseReason.storageUnreachable));
      return;
    }
    if (!access.ok) {
      refuse(socket, access.status, access.code, access.message);
      return;
    }
    if (socket.destroyed) return;
    const { padId } = access;
    const identity = this.options.identify(req);
    if (identity.setCookie) this.pendingCookies.set(req, identity.setCookie);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new Connection(ws, {
        padId,
        author: identity.author,
        wantsAcks: query.get(ACK_PARAM) === '1',
        canWrite: access.canWrite,
        notice: access.notice,
        limits: this.options.limits,
        maxBufferedBytes: this.options.maxBufferedBytes,
        maxQueuedFrames: 1000,
        onOverBudget: this.options.onOverBudget,
        cpuShare: this.cpuShare,
        logger: this.options.logger,
      });
      this.connections.add(connection);
      this.keepalive.add(connection);
      this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
      connection.onClosed(() => {
        this.connections.delete(connection);
        this.keepalive.delete(connection);
        const left = (this.perIp.get(ip) ?? 1) - 1;
        if (left <= 0) this.perIp.delete(ip);
        else this.perIp.set(ip, left);
      });
      this.options.rooms.get(padId).then(
        (room) => {
          if (connection.isClosed) this.options.rooms.releaseIfEmpty(room);
          else connection.attach(room);
        },
        (err: unknown) => {
          this.options.logger.error({ padId, err }, 'could not load pad');
          connection.close(CloseCode.tryAgainLater, CloseReason.padLoadFailed);
        },
      );
    });
  }

  /** Closes every connection (shutdown). */
  closeAll(code: number, reason: string): void {
    this.keepalive.stop();
    for (const connection of Array.from(this.connections)) connection.close(code, reason);
    this.wss.close();
  }
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const statusText = STATUS_CODES[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
