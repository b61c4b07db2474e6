/**
 * One pad's live connection: a y-websocket provider that asks for `saved` acknowledgements,
 * plus the two states the page shows, connection and save. The server's acknowledgement is the
 * only thing that turns "Saving..." into "All changes saved" (durable before visible).
 */
import * as authProtocol from 'y-protocols/auth';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { ACK_PARAM, MessageType, readSaved } from '../../../common/protocol.js';
import { judgeSocket, WATCHDOG } from './connection-watchdog.js';
import { CountingWebSocket } from './counting-websocket.js';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'offline' }
  /** The socket stopped answering (connection-watchdog.ts); reconnecting, edits kept. */
  | { kind: 'stalled' }
  /**
   * The server refused this pad or this client for good (close code 44xx, `code`), or the pad
   * is full (`CloseCode.padFull`): retrying would only send the refused change again.
   */
  | { kind: 'denied'; reason: string; code: number | null };

export type SaveState =
  /** Not synced yet and nothing typed. */
  | 'loading'
  /** Local edits sent or waiting to be sent, not yet acknowledged. */
  | 'saving'
  | 'saved'
  /** Not connected, with edits the server has not acknowledged (kept in IndexedDB). */
  | 'offline-unsaved'
  /** The socket stalled with edits not yet acknowledged; they are sent again on reconnect. */
  | 'stalled'
  | 'offline-clean'
  /** Denied, with edits the server never acknowledged. */
  | 'not-saved'
  | 'read-only';

/**
 * What this connection may do, as the server said: `viewer` after an auth "permission denied"
 * message (a read-only link, or a pad whose edit key was missing or wrong); the socket stays
 * open and live changes keep arriving, but the server drops this client's writes.
 */
export type AccessState =
  | { kind: 'editor' }
  | { kind: 'viewer'; reason: string /** The edit key that socket sent. */; token: string | null };

export interface PadConnectionOptions {
  /** Sent as `?token=` to unlock a pad, team or event that has an edit key. */
  editKey?: string | null;
  /** The page is a read-only link (`/r/<readOnlyId>`): it never writes, whatever the server says. */
  readOnly?: boolean;
}

export function syncSocketUrl(loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

export class PadConnection {
  readonly provider: WebsocketProvider;
  private connectionState: ConnectionState = { kind: 'connecting' };
  private unsaved = false;
  private everSynced = false;
  private resolveFirstSync: () => void = () => {};
  /** Resolves when the pad first synced with the server. */
  readonly firstSync = new Promise<void>((resolve) => (this.resolveFirstSync = resolve));
  private accessState: AccessState = { kind: 'editor' };
  /** True once the server sent an auth message on the current socket. */
  private toldViewerThisSocket = false;
  private readonly listeners = new Set<() => void>();
  /** Set when the watchdog restarted a stalled socket, until the next one synced. */
  private stalled = false;
  private readonly watchdog: ReturnType<typeof setInterval>;
  private readonly readOnly: boolean;

  constructor(
    readonly padId: string,
    readonly doc: Y.Doc,
    url = syncSocketUrl(),
    options: PadConnectionOptions = {},
  ) {
    this.readOnly = options.readOnly ?? false;
    const params: Record<string, string> = { [ACK_PARAM]: '1' };
    if (options.editKey) params.token = options.editKey;
    this.provider = new WebsocketProvider(url, padId, doc, {
      params,
      WebSocketPolyfill: CountingWebSocket,
    });
    const provider = this.provider;

    // Handlers must write nothing to the encoder: the provider sends whatever they write.
    provider.messageHandlers[MessageType.saved] = (_encoder, decoder, p) => {
      const acked = readSaved(decoder);
      if (p.ws instanceof CountingWebSocket) p.ws.writesAcked = acked;
      this.clearUnsavedIfAcked();
    };
    // The socket notes when anything arrived (connection-watchdog.ts); a pong carries nothing else.
    provider.messageHandlers[MessageType.pong] = () => {};
    provider.messageHandlers[MessageType.auth] = (_encoder, decoder) => {
      // The server keeps a viewer's socket open (live changes still arrive) and drops its writes.
      authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => this.becomeViewer(reason));
    };

    provider.on('status', ({ status }) => {
      if (status === 'connected') this.toldViewerThisSocket = false;
      if (this.connectionState.kind === 'denied') return;
      if (status === 'disconnected') this.setConnection(this.notConnected());
      else if (status === 'connecting' && this.connectionState.kind !== 'offline' && !this.stalled) {
        this.setConnection({ kind: 'connecting' });
      }
    });
    provider.on('connection-close', () => {
      // A refused or failed attempt never reaches 'connected', so no 'disconnected' either.
      if (this.connectionState.kind !== 'denied') this.setConnection(this.notConnected());
    });
    provider.on('sync', (synced: boolean) => {
      if (!synced || this.connectionState.kind === 'denied') return;
      this.everSynced = true;
      this.stalled = false;
      this.resolveFirstSync();
      // The auth message comes before the sync answer: none means this socket may write.
      if (!this.toldViewerThisSocket && this.accessState.kind === 'viewer') {
        this.accessState = { kind: 'editor' };
        this.emit();
      }
      this.setConnection({ kind: 'live' });
      this.clearUnsavedIfAcked();
    });
    provider.on('closed', ({ code, reason }) => {
      this.deny(reason || `The server closed the connection (code ${code}).`, code);
    });

    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === provider || this.unsaved) return;
      this.unsaved = true;
      this.emit();
    });

    // The browser knows about a lost network long before a silent socket times out.
    window.addEventListener('offline', this.onBrowserOffline);
    window.addEventListener('online', this.onBrowserOnline);
    this.watchdog = setInterval(this.watch, WATCHDOG.tickMs);
  }

  get connection(): ConnectionState {
    return this.connectionState;
  }

  get access(): AccessState {
    return this.accessState;
  }

  /**
   * The one answer to "may this page change the pad?", which the editor, board, chat and
   * toolbar all follow: an edit the server would drop must not be made, or it stays on this
   * device as "Not saved". True until the server says otherwise, so offline edits still work.
   */
  get canWrite(): boolean {
    return !this.readOnly && this.accessState.kind === 'editor' && this.connectionState.kind !== 'denied';
  }

  /** Reconnects with `key` as the edit key (null: without one). */
  setEditKey(key: string | null): void {
    if (key) this.provider.params.token = key;
    else delete this.provider.params.token;
    this.provider.disconnect();
    if (this.connectionState.kind === 'denied') this.setConnection({ kind: 'connecting' });
    this.provider.connect();
  }

  /** Some edit made on this page is not yet acknowledged by the server. */
  get hasUnsavedEdits(): boolean {
    return this.unsaved;
  }

  get save(): SaveState {
    const kind = this.connectionState.kind;
    if (kind === 'live' && this.accessState.kind === 'viewer') return this.unsaved ? 'not-saved' : 'read-only';
    if (kind === 'denied') return this.unsaved ? 'not-saved' : 'read-only';
    if (kind === 'stalled') return this.unsaved ? 'stalled' : 'offline-clean';
    if (this.unsaved) return kind === 'offline' ? 'offline-unsaved' : 'saving';
    if (kind === 'live') return 'saved';
    return this.everSynced || kind === 'offline' ? 'offline-clean' : 'loading';
  }

  /** Calls `listener` after every change of `connection`, `access`, `save` or `canWrite`; returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    clearInterval(this.watchdog);
    window.removeEventListener('offline', this.onBrowserOffline);
    window.removeEventListener('online', this.onBrowserOnline);
    this.provider.destroy();
    this.listeners.clear();
  }

  private readonly onBrowserOffline = (): void => {
    if (this.connectionState.kind === 'denied') return;
    this.stalled = false;
    this.provider.disconnect();
    this.setConnection({ kind: 'offline' });
  };

  private readonly onBrowserOnline = (): void => {
    if (this.connectionState.kind !== 'denied') this.provider.connect();
  };

  /** Pings a quiet server; replaces a socket that stopped answering with a new one. */
  private readonly watch = (): void => {
    const ws = this.provider.ws;
    if (this.connectionState.kind === 'denied' || !this.provider.shouldConnect || !(ws instanceof CountingWebSocket)) return;
    const now = performance.now();
    const verdict = judgeSocket(
      {
        connected: this.provider.wsconnected,
        createdAt: ws.createdAt,
        lastReceivedAt: ws.lastReceivedAt,
        pingSentAt: ws.pingSentAt,
        oldestUnackedAge: ws.oldestUnackedAge(now),
      },
      now,
    );
    if (verdict === 'ping') ws.ping();
    else if (verdict === 'stalled') {
      // Unacknowledged edits stay in the Y.Doc (and IndexedDB): the next socket's sync sends them.
      this.stalled = true;
      this.setConnection({ kind: 'stalled' });
      this.provider.disconnect();
      this.provider.connect();
    }
  };

  private notConnected(): ConnectionState {
    return this.stalled ? { kind: 'stalled' } : { kind: 'offline' };
  }

  private clearUnsavedIfAcked(): void {
    const ws = this.provider.ws;
    if (this.unsaved && this.provider.wsconnected && this.provider.synced && ws instanceof CountingWebSocket && ws.allWritesAcked) {
      this.unsaved = false;
      this.emit();
    }
  }

  private becomeViewer(reason: string): void {
    this.toldViewerThisSocket = true;
    const current = this.accessState;
    const token = this.provider.params.token ?? null;
    if (current.kind === 'viewer' && current.reason === reason && current.token === token) return;
    this.accessState = { kind: 'viewer', reason, token };
    this.emit();
  }

  private deny(reason: string, code: number | null = null): void {
    if (this.connectionState.kind === 'denied') return;
    this.provider.disconnect();
    this.setConnection({ kind: 'denied', reason, code });
  }

  private setConnection(state: ConnectionState): void {
    const current = this.connectionState;
    if (current.kind === state.kind && current.kind !== 'denied') return;
    this.connectionState = state;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
