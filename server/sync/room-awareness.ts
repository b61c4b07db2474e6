/**
 * A room's awareness (carets, names): who speaks for each awareness client id, what goes to
 * the room's peers and to the other processes, and the names and colours authors show.
 *
 * A peer speaks only for the awareness client id it first published; entries for other ids are
 * dropped (a stock client echoes the states it hears from others, so they are no reason to close
 * it). Changes made here carry a `PeerChange` or `ClusterChange` origin, so the update handler
 * knows who made each change without guessing from the origin's shape.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { MAX_NAME_LENGTH, encodeAwarenessEntries, readAwarenessUpdate } from './awareness-guard.js';
import { awarenessFrame } from './frames.js';
import type { AuthorProfile } from './types.js';

/** The part of a peer the awareness needs. */
export interface AwarenessPeer {
  readonly author: string;
  /** Awareness client ids this peer has published. */
  readonly awarenessClients: Set<number>;
  send(frame: Uint8Array): void;
}

export interface RoomAwarenessHooks {
  /** `client` now speaks for `author` (its first awareness state). */
  owned(client: number, author: string): void;
  /** States of `clients` changed: show them to the room's peers. */
  changed(clients: number[]): void;
  /** This process's peers changed the states of `clients` (for the other processes: `encode`). */
  local(clients: number[]): void;
  /** An author showed a name or colour not seen from its connection before. */
  profile(author: string, profile: AuthorProfile): void;
}

/** Awareness client ids one connection may publish: a stock client uses one, its doc's. */
const MAX_AWARENESS_CLIENTS = 1;
const COLOR = /^#[0-9a-fA-F]{3,8}$/;

/** Origin of a change a local peer made (or its states removed as it left). */
class PeerChange {
  constructor(readonly peer: AwarenessPeer) {}
}

/** Origin of states relayed from another process. */
class ClusterChange {}
const FROM_CLUSTER = new ClusterChange();

export class RoomAwareness {
  private readonly awareness: awarenessProtocol.Awareness;
  private readonly owners = new Map<number, AwarenessPeer>();
  /** Every state in one frame, built on first use after a change (joins and queries). */
  private allFrame: Uint8Array | null = null;
  private readonly lastProfiles = new WeakMap<AwarenessPeer, string>();

  constructor(
    doc: Y.Doc,
    private readonly hooks: RoomAwarenessHooks,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onUpdate);
  }

  /** Current states by awareness client id. */
  states(): ReadonlyMap<number, Record<string, unknown>> {
    return this.awareness.getStates();
  }

  /** Applies a peer's awareness update; throws `SocketCloseError` if it is malformed. */
  receive(peer: AwarenessPeer, update: Uint8Array): void {
    const own = readAwarenessUpdate(update).filter((entry) => {
      const owner = this.owners.get(entry.client);
      if (owner !== undefined) return owner === peer;
      if (entry.json === 'null' || peer.awarenessClients.size >= MAX_AWARENESS_CLIENTS) return false;
      this.owners.set(entry.client, peer);
      peer.awarenessClients.add(entry.client);
      this.hooks.owned(entry.client, peer.author);
      return true;
    });
    if (own.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(own), new PeerChange(peer));
  }

  /** Removes the states of a peer that left. */
  removePeer(peer: AwarenessPeer): void {
    for (const client of peer.awarenessClients) this.owners.delete(client);
    if (peer.awarenessClients.size === 0) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(peer.awarenessClients), new PeerChange(peer));
  }

  /** Applies states relayed from another process. */
  applyFromCluster(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, FROM_CLUSTER);
  }

  /** States of this process's own peers, encoded (to answer another process), or null. */
  encodeLocal(): Uint8Array | null {
    const clients = Array.from(this.owners.keys());
    return clients.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients) : null;
  }

  /** Sends every state (if there are any) to `peer`. */
  sendAllTo(peer: AwarenessPeer): void {
    const states = this.awareness.getStates();
    if (states.size === 0) return;
    this.allFrame ??= awarenessFrame(this.awareness, Array.from(states.keys()));
    peer.send(this.allFrame);
  }

  /** The states of `clients` as an awareness update. */
  encode(clients: number[]): Uint8Array {
    return awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients);
  }

  /** One awareness frame with the states of `clients`. */
  frameFor(clients: number[]): Uint8Array {
    return awarenessFrame(this.awareness, clients);
  }

  destroy(): void {
    this.allFrame = null;
    this.awareness.off('update', this.onUpdate);
    this.awareness.destroy();
  }

  private readonly onUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    this.allFrame = null;
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    if (origin instanceof PeerChange) {
      for (const id of added.concat(updated)) this.noteProfile(origin.peer, this.awareness.getStates().get(id));
    }
    this.hooks.changed(changed);
    if (origin instanceof PeerChange) this.hooks.local(changed);
  };

  private noteProfile(peer: AwarenessPeer, state: Record<string, unknown> | undefined): void {
    const user = state?.user as { name?: unknown; color?: unknown } | undefined;
    if (!user || typeof user.name !== 'string') return;
    const profile = {
      name: user.name.slice(0, MAX_NAME_LENGTH),
      color: typeof user.color === 'string' && COLOR.test(user.color) ? user.color : '',
    };
    const key = `${profile.name}\u0000${profile.color}`;
    if (this.lastProfiles.get(peer) === key) return;
    this.lastProfiles.set(peer, key);
    this.hooks.profile(peer.author, profile);
  }
}
