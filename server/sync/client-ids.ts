/**
 * Who may write under each Yjs client id of a pad. The server is the authority on authorship:
 * a client id belongs to the author that first sent structs under it (stored with that update),
 * and another author's update that adds structs under it is refused. Two refinements keep that
 * from denying service:
 *
 * - An id a connection publishes in awareness is bound to its author at once, for the room's
 *   life, before any write: an attacker who reads a victim's id from awareness cannot take it
 *   before the victim's first write.
 * - Ids of anonymous authors (connections without the author cookie: scripts, stock providers
 *   in Node) are open to every anonymous connection: such a client gets a new anonymous author
 *   on every reconnect and keeps its Yjs client id, and an anonymous author is no identity to
 *   pose as. Cookie holders keep theirs to themselves.
 */
import { isAnonymousAuthor } from './types.js';

/** Announced ids kept per room; the oldest go first (one per connection that ever joined). */
const MAX_ANNOUNCED = 10_000;

export type ClientIdVerdict =
  /** The id is the writer's, or open to it: nothing to record. */
  | 'ok'
  /** The id is unowned: this write makes it the writer's (stored with the update). */
  | 'claim'
  /** The id belongs to another author. */
  | 'taken';

export class ClientIds {
  /** Ids bound by a stored update. */
  private readonly owners: Map<number, string>;
  /** Ids bound by awareness only, in the order they were first published. */
  private readonly announced = new Map<number, string>();

  constructor(stored: Map<number, string>) {
    this.owners = stored;
  }

  /** Whether `author` may add structs under `client`. */
  verdict(client: number, author: string): ClientIdVerdict {
    const owner = this.owners.get(client);
    if (owner !== undefined) return owner === author || isAnonymousAuthor(owner) ? 'ok' : 'taken';
    const announcer = this.announced.get(client);
    if (announcer === undefined || announcer === author) return 'claim';
    return isAnonymousAuthor(announcer) && isAnonymousAuthor(author) ? 'claim' : 'taken';
  }

  /** `author`'s update under `client` was accepted: the id is its from now on. */
  claim(client: number, author: string): void {
    this.owners.set(client, author);
    this.announced.delete(client);
  }

  /** Bindings committed elsewhere (another process, or read back from the store). */
  learn(owners: ReadonlyMap<number, string>): void {
    for (const [client, author] of owners) if (!this.owners.has(client)) this.claim(client, author);
  }

  /** A connection of `author` published `client` in awareness: bound to it unless already bound. */
  announce(client: number, author: string): void {
    if (this.owners.has(client) || this.announced.has(client)) return;
    this.announced.set(client, author);
    if (this.announced.size > MAX_ANNOUNCED) this.announced.delete(this.announced.keys().next().value as number);
  }
}
