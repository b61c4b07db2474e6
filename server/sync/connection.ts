/**
 * One client's WebSocket on one pad. Lifecycle: loading (frames queued while the room loads)
 * -> live (frames go to the room) -> closed. A frame that breaks the protocol closes this
 * connection only, with a close code and reason.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { CloseCode, CloseReason, DeniedReason, encodePermissionDenied } from '../../common/protocol.js';
import { closeSocket, SocketCloseError } from './close-error.js';
import { receiveFrame, type FrameSender, type PacedWork } from './message-receiver.js';
import { TokenBucket } from './rate-limit.js';
import { sharedWork } from './shared-work.js';
import { Throttle } from './throttle.js';
import type { SharedFrames } from './fan-out.js';
import type { Room } from './room.js';
import type { ChangeOrigin, Logger } from './types.js';
import { socketOf, websocketBinaryFrames, writeFrames } from './ws-internals.js';

export interface ConnectionOptions {
  padId: string;
  author: string;
  wantsAcks: boolean;
  /** False for viewers (read-only id, or a pad whose edit key was not presented). */
  canWrite: boolean;
  /** Told to the client once, as y-protocols auth "permission denied", when it joins. */
  notice: string | null;
  limits: ConnectionLimits;
  /** Unsent bytes after which the client is considered gone (it stopped reading). */
  maxBufferedBytes: number;
  /** Frames kept while the room loads; more closes the connection. */
  maxQueuedFrames: number;
  /** Called when the connection is closed for spending more than its CPU budget. */
  onOverBudget?: () => void;
  /**
   * The share of wall-clock time the process lately got on a CPU while busy (0-1): time spent
   * on a frame is charged by it, so a machine shared with other processes does not make honest
   * frames look expensive.
   */
  cpuShare(): number;
  logger: Logger;
}

export interface ConnectionLimits {
  updatesPerSecond: number;
  bytesPerSecond: number;
  /** One frame may always be this big (MAX_MESSAGE_BYTES). */
  maxMessageBytes: number;
  handshakeTimeoutMs: number;
  /**
   * Server time this connection may use (handling its frames, answering it), ms per second
   * sustained; bursts up to `cpuBurstMs` pass. Past it the connection is closed with 1008.
   */
  cpuMsPerSecond: number;
  cpuBurstMs: number;
}

/** Sync step 1 frames a connection may send: a stock client sends one per connection. */
const STEP1_BURST = 10;
const STEP1_PER_SECOND = 0.5;
/**
 * Awareness and query-awareness frames a connection may send. A caret moves with every
 * keystroke and the board pointer up to 20 times a second; ten seconds of that pass at once.
 */
const PRESENCE_PER_SECOND = 60;
const PRESENCE_BURST = 600;
/** A connection's awareness is relayed at most this often (the board sends every 50 ms); later states replace earlier ones. */
const AWARENESS_INTERVAL_MS = 50;
/** A connection's queries for every awareness state are answered at most this often. */
const AWARENESS_QUERY_INTERVAL_MS = 1000;

type ConnectionState = { kind: 'loading'; queue: Uint8Array[] } | { kind: 'live'; room: Room } | { kind: 'closed' };

let nextConnectionId = 1;

export class Connection implements FrameSender {
  readonly id = nextConnectionId++;
  readonly author: string;
  readonly padId: string;
  readonly wantsAcks: boolean;
  readonly canWrite: boolean;
  readonly origin: ChangeOrigin;
  readonly awarenessClients = new Set<number>();
  writesReceived = 0;
  /** Cleared on each ping, set on each pong; the keepalive drops connections that stay unset. */
  alive = true;
  private state: ConnectionState = { kind: 'loading', queue: [] };
  private readonly closeListeners: (() => void)[] = [];
  private readonly updateBucket: TokenBucket;
  private readonly byteBucket: TokenBucket;
  private readonly step1Bucket = new TokenBucket(STEP1_PER_SECOND, STEP1_BURST);
  private readonly presenceBucket = new TokenBucket(PRESENCE_PER_SECOND, PRESENCE_BURST);
  private readonly cpuBudget: TokenBucket;
  /** Server time spent on this connection so far, ms. */
  cpuMs = 0;
  private readonly pacers: Record<PacedWork, Throttle> = {
    awareness: new Throttle(AWARENESS_INTERVAL_MS, (task) => this.guarded(task)),
    awarenessQuery: new Throttle(AWARENESS_QUERY_INTERVAL_MS, (task) => this.guarded(task)),
  };
  private handshakeTimer: NodeJS.Timeout | null;
  private toldWriteDenied = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly options: ConnectionOptions,
  ) {
    this.author = options.author;
    this.padId = options.padId;
    this.wantsAcks = options.wantsAcks;
    this.canWrite = options.canWrite;
    const { limits } = options;
    this.updateBucket = new TokenBucket(limits.updatesPerSecond, limits.updatesPerSecond * 10);
    this.byteBucket = new TokenBucket(limits.bytesPerSecond, Math.max(limits.maxMessageBytes, limits.bytesPerSecond * 10));
    this.cpuBudget = new TokenBucket(limits.cpuMsPerSecond, limits.cpuBurstMs);
    this.handshakeTimer = setTimeout(() => {
      this.close(CloseCode.policyViolation, CloseReason.handshakeTimeout);
    }, limits.handshakeTimeoutMs);
    this.handshakeTimer.unref();
    this.origin = Object.freeze({ source: 'client', connectionId: this.id, author: options.author });
    ws.binaryType = 'nodebuffer';
    ws.on('message', this.onMessage);
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('error', (err) => options.logger.debug({ padId: this.padId, err: err.message }, 'websocket error'));
    ws.on('close', this.onClose);
  }

  get isClosed(): boolean {
    return this.state.kind === 'closed';
  }

  onClosed(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** Connects to the loaded room and processes the frames that arrived meanwhile. */
  attach(room: Room): void {
    if (this.state.kind !== 'loading') return;
    const queue = this.state.queue;
    this.state = { kind: 'live', room };
    this.guarded(() => room.join(this));
    if (this.options.notice) {
      this.toldWriteDenied = !this.canWrite;
      this.send(encodePermissionDenied(this.options.notice));
    }
    for (const frame of queue) {
      if (this.state.kind !== 'live') return;
      this.guarded(() => receiveFrame(room, this, frame));
    }
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.corkUntilNextTick();
    this.ws.send(frame);
    this.dropIfNotReading();
  }

  /**
   * A fan-out batch: framed for the wire once for all peers, then written straight to this
   * peer's socket in one system call, after what `ws` sent before (ws-internals.ts).
   */
  sendShared(shared: SharedFrames): void {
    shared.wire ??= websocketBinaryFrames(shared.frames);
    if (writeFrames(this.ws, shared.wire)) this.dropIfNotReading();
  }

  private dropIfNotReading(): void {
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.logger.info({ padId: this.padId, buffered: this.ws.bufferedAmount }, 'dropping a client that stopped reading');
      // A close frame would queue behind the full buffer: end the socket now.
      this.ws.terminate();
    }
  }

  private corked: Socket | null = null;

  /**
   * Frames sent to this peer during one callback (a commit's updates, its ack, awareness) leave
   * in one write instead of one system call each; `ws` writes through its socket, so corking
   * that socket holds them until the tick ends, as Node's own HTTP server does.
   */
  private corkUntilNextTick(): void {
    if (this.corked) return;
    const socket = socketOf(this.ws);
    if (!socket || socket.destroyed) return;
    this.corked = socket;
    socket.cork();
    process.nextTick(this.uncork);
  }

  private readonly uncork = (): void => {
    const socket = this.corked;
    this.corked = null;
    socket?.uncork();
  };

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      closeSocket(this.ws, code, reason);
    }
    this.onClose();
  }

  /**
   * Closes the connection for what it sent, and reads nothing more from it: the rest of a flood
   * already on its way would otherwise still be parsed only to be dropped (docs/security.md,
   * sync step 1 floods). Without reading, the client's close frame never arrives, so the socket
   * is ended (after the close frame) for the client to see the close at once; it is destroyed
   * after the server's close timeout.
   */
  private refuse(code: number, reason: string): void {
    this.close(code, reason);
    this.ws.pause();
    socketOf(this.ws)?.end();
  }

  handshakeDone(): void {
    if (this.handshakeTimer) {
      clearTimeout(this.handshakeTimer);
      this.handshakeTimer = null;
    }
  }

  admitWrite(bytes: number): void {
    if (!this.updateBucket.take(1) || !this.byteBucket.take(bytes)) {
      throw new SocketCloseError(CloseCode.policyViolation, CloseReason.tooManyUpdates);
    }
  }

  admitSyncStep1(): void {
    if (!this.step1Bucket.take(1)) throw new SocketCloseError(CloseCode.policyViolation, CloseReason.tooManySyncRequests);
  }

  admitPresence(bytes: number): void {
    if (!this.presenceBucket.take(1) || !this.byteBucket.take(bytes)) {
      throw new SocketCloseError(CloseCode.policyViolation, CloseReason.tooManyAwareness);
    }
  }

  paced(kind: PacedWork, task: () => void): void {
    this.pacers[kind].run(task);
  }

  writeDropped(): void {
    if (this.toldWriteDenied) return;
    this.toldWriteDenied = true;
    this.send(encodePermissionDenied(DeniedReason.readOnlyConnection));
  }

  /** Sends a ping; returns false (and drops the connection) if the last one went unanswered. */
  ping(): boolean {
    if (!this.alive) {
      this.ws.terminate();
      return false;
    }
    this.alive = false;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
    return true;
  }

  private readonly onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    if (!isBinary) {
      this.refuse(CloseCode.unsupportedData, CloseReason.textFrame);
      return;
    }
    const frame = toUint8Array(data);
    switch (this.state.kind) {
      case 'loading':
        if (this.state.queue.length >= this.options.maxQueuedFrames) {
          this.refuse(CloseCode.tryAgainLater, CloseReason.tooManyWhileLoading);
          return;
        }
        this.state.queue.push(frame);
        return;
      case 'live': {
        const room = this.state.room;
        this.guarded(() => receiveFrame(room, this, frame));
        return;
      }
      case 'closed':
        return;
    }
  };

  /**
   * Runs work for this connection (its frames, its deferred answers) and charges the time to its
   * CPU budget; a protocol violation, or a budget spent, closes it with a reason.
   */
  private guarded(work: () => void): void {
    if (this.state.kind === 'closed') return;
    const started = performance.now();
    const sharedBefore = sharedWork.ms;
    try {
      work();
    } catch (err) {
      if (err instanceof SocketCloseError) {
        this.options.logger.info({ padId: this.padId, code: err.closeCode, reason: err.reason }, 'closing connection');
        this.refuse(err.closeCode, err.reason);
      } else {
        this.options.logger.error({ padId: this.padId, err }, 'unexpected error handling a frame');
        this.close(CloseCode.internalError, CloseReason.internalError);
      }
    }
    const now = performance.now();
    const spent = (now - started - (sharedWork.ms - sharedBefore)) * this.options.cpuShare();
    this.cpuMs += spent;
    if (!this.cpuBudget.spend(spent, now) && !this.isClosed) {
      this.options.logger.info({ padId: this.padId, cpuMs: Math.round(this.cpuMs) }, 'closing a connection over its CPU budget');
      this.options.onOverBudget?.();
      this.refuse(CloseCode.policyViolation, CloseReason.overBudget);
    }
  }

  private readonly onClose = (): void => {
    const previous = this.state;
    if (previous.kind === 'closed') return;
    this.state = { kind: 'closed' };
    this.handshakeDone();
    this.pacers.awareness.cancel();
    this.pacers.awarenessQuery.cancel();
    if (previous.kind === 'live') previous.room.leave(this);
    for (const listener of this.closeListeners.splice(0)) listener();
  };
}

function toUint8Array(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
