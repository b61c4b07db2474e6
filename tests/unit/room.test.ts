/**
 * The Room on its own, in Yjs's test style: clients are Y.Docs behind a network that delivers
 * only when the test flushes it, and commits happen only when the test says so. No socket, no
 * store, no timers: every interleaving the test picks is the one that runs.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CONTENT_FIELD } from '../../common/pad-schema.js';
import { CloseCode, MessageType, SyncMessageType, readSaved } from '../../common/protocol.js';
import { type CommitSink, LOCAL_SEQUENCE, type PendingWrite } from '../../server/sync/commit-path.js';
import type { SharedFrames } from '../../server/sync/fan-out.js';
import { SocketCloseError } from '../../server/sync/close-error.js';
import { Room } from '../../server/sync/room.js';
import type { RoomPeer } from '../../server/sync/room-peer.js';
import type { ChangeOrigin, StoredPad } from '../../server/sync/types.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** A commit sink that commits only when told, giving seqs as a store would. */
class ManualCommits implements CommitSink {
  waiting: PendingWrite[] = [];
  nextSeq = 1;
  enqueue(write: PendingWrite): void {
    this.waiting.push(write);
  }
  commitSoon(): void {}
  commit(): void {
    const writes = this.waiting;
    this.waiting = [];
    for (const write of writes) if (write.update) write.seq = this.nextSeq++;
    if (writes.length > 0) writes[0].room.committed(writes);
  }
  fail(err: Error): void {
    const writes = this.waiting;
    this.waiting = [];
    if (writes.length > 0) writes[0].room.commitFailed(writes, err);
  }
}

let connectionIds = 0;

/** A browser as the room sees it: a Y.Doc whose frames wait in an inbox until delivered. */
class Client implements RoomPeer {
  readonly id = ++connectionIds;
  readonly doc = new Y.Doc();
  readonly origin: ChangeOrigin;
  readonly awarenessClients = new Set<number>();
  readonly canWrite = true;
  readonly inbox: Uint8Array[] = [];
  /** Updates made here, not yet sent. */
  readonly outbox: Uint8Array[] = [];
  writes = 0;
  saved = 0;
  closedWith: { code: number; reason: string } | null = null;
  readonly awareness = new awarenessProtocol.Awareness(this.doc);

  constructor(
    readonly room: Room,
    readonly author: string,
    readonly wantsAcks = true,
  ) {
    this.origin = { source: 'client', connectionId: this.id, author };
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.outbox.push(update);
    });
  }

  send(frame: Uint8Array): void {
    this.inbox.push(frame);
  }
  sendShared(shared: SharedFrames): void {
    for (const frame of shared.frames) this.inbox.push(frame);
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.room.leave(this);
  }

  join(): void {
    this.room.join(this);
    this.room.receiveSyncStep1(this, Y.encodeStateVector(this.doc));
  }

  /** Applies every frame the room sent; answers its step 1 like a provider. */
  deliver(): void {
    for (const frame of this.inbox.splice(0)) {
      const decoder = decoding.createDecoder(frame);
      const type = decoding.readVarUint(decoder);
      if (type === MessageType.saved) this.saved = readSaved(decoder);
      else if (type === MessageType.awareness)
        awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
      else if (type === MessageType.sync) {
        const subtype = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (subtype === SyncMessageType.step1) this.outbox.push(Y.encodeStateAsUpdate(this.doc, payload));
        else Y.applyUpdate(this.doc, payload, this);
      }
    }
  }

  /** Sends what was made here to the room, one write frame per update. */
  sendWrites(): void {
    for (const update of this.outbox.splice(0)) {
      this.writes += 1;
      this.room.receiveWrite(this, this.origin, update, this.writes);
    }
  }

  /** The notes' one line of text (the seeded pad's; see `seededPad`). */
  get line(): Y.XmlText {
    const line = this.doc.getXmlFragment(CONTENT_FIELD).get(0);
    if (!(line instanceof Y.XmlText)) throw new Error('the client has not synced the pad yet');
    return line;
  }

  type(text: string, at = this.line.length): void {
    this.line.insert(at, text);
  }

  get text(): string {
    return this.doc.getXmlFragment(CONTENT_FIELD).toString();
  }
}

/** A stored pad whose notes hold one line of text, so that every client types into the same one. */
function seededPad(): StoredPad {
  const doc = new Y.Doc();
  doc.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlText()]);
  const snapshot = Y.encodeStateAsUpdate(doc);
  return { snapshot, tail: [], lastSeq: 0, updatesSinceSnapshot: 0, clientOwners: new Map(), storedBytes: snapshot.length };
}

function roomWith(options: { maxPadBytes?: number } = {}) {
  const commits = new ManualCommits();
  const room = new Room('unit-pad', seededPad(), {
    commits,
    sequences: LOCAL_SEQUENCE,
    maxPadBytes: options.maxPadBytes ?? 1024 * 1024,
    logger: silent as never,
  });
  return { room, commits };
}

function awarenessUpdate(client: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

describe('Room', () => {
  it('shows a write to others only once it is committed, then acknowledges it to its writer', () => {
    const { room, commits } = roomWith();
    const ada = new Client(room, 'a.ada');
    const bob = new Client(room, 'a.bob');
    ada.join();
    bob.join();
    ada.deliver();
    bob.deliver();
    ada.type('hello');
    ada.sendWrites();
    bob.deliver();
    expect(bob.text).toBe('');
    expect(room.isDurable).toBe(false);

    commits.commit();
    bob.deliver();
    ada.deliver();
    expect(bob.text).toBe('hello');
    expect(ada.saved).toBe(ada.writes);
    expect(room.isDurable).toBe(true);
    expect(room.progress.lastSeq).toBe(commits.nextSeq - 1);
    expect(room.progress.updatesSinceSnapshot).toBe(commits.nextSeq - 1);
  });

  it("holds a joiner's sync answer until the writes it includes are committed", () => {
    const { room, commits } = roomWith();
    const ada = new Client(room, 'a.ada');
    ada.join();
    ada.deliver();
    ada.type('not yet stored');
    ada.sendWrites();
    const late = new Client(room, 'a.late');
    late.join();
    late.deliver();
    expect(late.text).toBe('');
    commits.commit();
    late.deliver();
    expect(late.text).toBe('not yet stored');
  });

  it('applies plain appends to the doc later, yet every reader of currentDoc sees them', () => {
    const { room, commits } = roomWith();
    let queuedEvents = 0;
    room.on('appendQueued', () => queuedEvents++);
    const ada = new Client(room, 'a.ada');
    ada.join();
    ada.deliver();
    ada.sendWrites();
    commits.commit();
    ada.type('one');
    ada.sendWrites();
    ada.type(' two');
    ada.sendWrites();
    expect(queuedEvents).toBe(1);
    const notes = () => room.docAsApplied.getXmlFragment(CONTENT_FIELD).toString();
    expect(notes()).toBe('');
    expect(room.currentDoc().getXmlFragment(CONTENT_FIELD).toString()).toBe('one two');
    expect(notes()).toBe('one two');
    ada.type(' three');
    ada.sendWrites();
    expect(queuedEvents).toBe(2);
  });

  it('counts accepted bytes against the size cap and refuses a write past it, but takes deletions', () => {
    const { room, commits } = roomWith({ maxPadBytes: 260 });
    const ada = new Client(room, 'a.ada');
    ada.join();
    ada.deliver();
    ada.type('x'.repeat(200));
    ada.sendWrites();
    commits.commit();
    const stored = room.progress.storedBytes;
    expect(stored).toBeGreaterThan(200);
    ada.type('y'.repeat(300));
    let refused: unknown = null;
    try {
      ada.sendWrites();
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(SocketCloseError);
    expect((refused as SocketCloseError).closeCode).toBe(CloseCode.padFull);
    expect(commits.waiting).toHaveLength(0);
    expect(room.progress.storedBytes).toBe(stored);

    const fresh = new Client(room, 'a.ada');
    fresh.join();
    fresh.deliver();
    fresh.sendWrites();
    fresh.line.delete(0, 100);
    fresh.sendWrites();
    expect(commits.waiting.length).toBeGreaterThan(0);
    expect(room.progress.remeasureDue).toBe(true);
  });

  it("refuses structs under another author's client id and stores nothing of them", () => {
    const { room, commits } = roomWith();
    const ada = new Client(room, 'a.ada');
    ada.join();
    ada.deliver();
    ada.type('mine');
    ada.sendWrites();
    commits.commit();
    const mallory = new Client(room, 'a.mallory');
    mallory.join();
    mallory.deliver();
    mallory.sendWrites();
    commits.commit();
    Y.applyUpdate(mallory.doc, Y.encodeStateAsUpdate(ada.doc), mallory);
    mallory.doc.clientID = ada.doc.clientID;
    mallory.type(' forged');
    expect(() => mallory.sendWrites()).toThrow(SocketCloseError);
    expect(commits.waiting).toHaveLength(0);
    expect(room.currentDoc().getXmlFragment(CONTENT_FIELD).toString()).toBe('mine');
  });

  it('tells its manager when the store refuses a commit, and rejects API writes in it', async () => {
    const { room, commits } = roomWith();
    const broken: Error[] = [];
    room.on('broken', (err) => broken.push(err));
    const doc = new Y.Doc();
    doc.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlText('api write')]);
    const written = room.applyApiUpdate(Y.encodeStateAsUpdate(doc), 'a.script');
    commits.fail(new Error('disk full'));
    await expect(written).rejects.toThrow('disk full');
    expect(broken.map((err) => err.message)).toEqual(['disk full']);
  });

  it('lets a peer speak only for its own awareness client id, and reports local changes and new profiles', () => {
    const { room } = roomWith();
    const local: Uint8Array[] = [];
    const profiles: string[] = [];
    room.on('localAwareness', (update) => local.push(update));
    room.on('authorProfile', (author, profile) => profiles.push(`${author}:${profile.name}`));
    const ada = new Client(room, 'a.ada');
    const bob = new Client(room, 'a.bob');
    ada.join();
    bob.join();
    room.receiveAwareness(ada, awarenessUpdate(11, 1, { user: { name: 'Ada', color: '#e03131' } }));
    room.receiveAwareness(bob, awarenessUpdate(11, 2, { user: { name: 'Bob pretending', color: '#000000' } }));
    room.receiveAwareness(ada, awarenessUpdate(11, 3, { user: { name: 'Ada', color: '#e03131' } }));
    expect((room.awareness.states().get(11) as { user: { name: string } }).user.name).toBe('Ada');
    expect(profiles).toEqual(['a.ada:Ada']);
    expect(local).toHaveLength(2);

    room.awareness.applyFromCluster(awarenessUpdate(99, 1, { user: { name: 'Elsewhere' } }));
    expect(room.awareness.states().has(99)).toBe(true);
    expect(local).toHaveLength(2);
    expect(() => room.receiveAwareness(ada, new Uint8Array([5, 1]))).toThrow(SocketCloseError);

    bob.deliver();
    expect(bob.awareness.getStates().get(11)).toMatchObject({ user: { name: 'Ada' } });
    let empty = 0;
    room.on('empty', () => empty++);
    room.leave(ada);
    expect(room.awareness.states().has(11)).toBe(false);
    expect(local).toHaveLength(3);
    room.leave(bob);
    expect(empty).toBe(1);
  });

  it('converges with every client whatever order the network and the commits run in', () => {
    for (let seed = 1; seed <= 10; seed += 1) {
      let state = seed;
      const random = (n: number) => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state % n;
      };
      const { room, commits } = roomWith();
      const clients = [new Client(room, 'a.one'), new Client(room, 'a.two'), new Client(room, 'a.three')];
      for (const client of clients) {
        client.join();
        client.deliver();
      }
      for (let step = 0; step < 200; step += 1) {
        const client = clients[random(clients.length)];
        const action = random(5);
        if (action === 0) client.type(String.fromCharCode(97 + random(26)), random(client.line.length + 1));
        else if (action === 1 && client.line.length > 0) client.line.delete(random(client.line.length), 1);
        else if (action === 2) client.sendWrites();
        else if (action === 3) client.deliver();
        else commits.commit();
      }
      for (let round = 0; round < 3; round += 1) {
        for (const client of clients) client.deliver();
        for (const client of clients) client.sendWrites();
        commits.commit();
      }
      for (const client of clients) client.deliver();
      const expected = room.currentDoc().getXmlFragment(CONTENT_FIELD).toString();
      expect(expected.length).toBeGreaterThan(0);
      for (const client of clients) expect(client.text, `seed ${seed}`).toBe(expected);
      expect(room.progress.lastSeq).toBe(commits.nextSeq - 1);
    }
  });
});
