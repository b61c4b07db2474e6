/**
 * Who each Yjs client id of a pad is: the server's answer (`GET /api/v1/pads/<id>/authors`,
 * the author of the first stored update carrying that client's structs: the server is the
 * authority on who wrote what), and until the server has attributed a client (its first edits
 * are seconds old), that client's own awareness state: the name and colour beside its caret.
 * Clients the server does not know yet are asked about again, at most one request at a time,
 * waiting longer after each answer that still leaves some unknown (1 s up to 30 s).
 */
import type { Awareness } from 'y-protocols/awareness';
import type { ClientAuthorsT } from '../../../common/history-schemas.js';
import { isHexColor } from '../presence/palette.js';

export interface AuthorInfo {
  /** Groups a person's text: the server's public author id, or `client:<id>` while provisional. */
  key: string;
  name: string;
  color: string;
}

const FIRST_DELAY_MS = 300;
const MAX_DELAY_MS = 30_000;

export class AuthorMap {
  private readonly known = new Map<number, AuthorInfo>();
  private readonly listeners = new Set<() => void>();
  private wanted = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  private delayMs = FIRST_DELAY_MS;
  private usersSeen = '';

  constructor(
    private readonly awareness: Awareness,
    private readonly fetchAuthors: () => Promise<ClientAuthorsT>,
  ) {
    awareness.on('change', this.onAwareness);
  }

  /** The author of `client`'s text, or null when nobody knows yet. */
  lookup(client: number): AuthorInfo | null {
    return this.known.get(client) ?? this.fromAwareness(client);
  }

  /** Notes the clients whose text is on screen; the server is asked about those it has not attributed. */
  want(clients: Iterable<number>): void {
    for (const client of clients) if (!this.known.has(client)) this.wanted.add(client);
    this.schedule();
  }

  /** Calls `listener` when an author's name or colour, or a client's author, changed. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.awareness.off('change', this.onAwareness);
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }

  private fromAwareness(client: number): AuthorInfo | null {
    const state = client === this.awareness.clientID ? this.awareness.getLocalState() : this.awareness.getStates().get(client);
    const user = state?.user as { name?: unknown; color?: unknown } | undefined;
    if (!user || typeof user.name !== 'string' || !isHexColor(user.color)) return null;
    return { key: `client:${client}`, name: user.name || 'Someone', color: user.color };
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.wanted.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.ask();
    }, this.delayMs);
  }

  private async ask(): Promise<void> {
    this.inFlight = true;
    let changed = false;
    try {
      const answer = await this.fetchAuthors();
      const authors = new Map(answer.authors.map((a) => [a.id, a]));
      for (const [client, authorId] of Object.entries(answer.clients)) {
        const author = authors.get(authorId);
        if (!author) continue;
        const info = { key: author.id, name: author.name, color: isHexColor(author.color) ? author.color : '#868e96' };
        const before = this.known.get(Number(client));
        if (!before || before.name !== info.name || before.color !== info.color) changed = true;
        this.known.set(Number(client), info);
      }
    } catch {
      // Offline or refused: the shading keeps what it knows and asks again later.
    } finally {
      this.inFlight = false;
    }
    for (const client of this.wanted) if (this.known.has(client)) this.wanted.delete(client);
    this.delayMs = this.wanted.size === 0 ? FIRST_DELAY_MS : Math.min(MAX_DELAY_MS, this.delayMs * 2 + 700);
    if (changed) this.emit();
    this.schedule();
  }

  /** Awareness changes with every caret move; only names and colours matter here. */
  private readonly onAwareness = (): void => {
    const users: string[] = [];
    this.awareness.getStates().forEach((state, client) => {
      const user = state.user as { name?: unknown; color?: unknown } | undefined;
      users.push(`${client}:${String(user?.name)}:${String(user?.color)}`);
    });
    const signature = users.join('|');
    if (signature === this.usersSeen) return;
    this.usersSeen = signature;
    this.emit();
  };

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
