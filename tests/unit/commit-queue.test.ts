import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { CommitQueue } from '../../server/sync/commit-queue.js';
import type { CommitTarget, PendingWrite } from '../../server/sync/commit-path.js';
import { tempDataDir } from '../helpers/server.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** The part of a Room the queue talks to, recording what it is told. */
function roomFor(padId: string) {
  const committed: number[] = [];
  const room: CommitTarget = {
    padId,
    committed: (writes) => committed.push(...writes.map((w) => w.seq!)),
    commitFailed: () => undefined,
  };
  return { room, committed };
}

function write(room: CommitTarget, text: string): PendingWrite {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return { room, peer: null, writeNumber: 0, author: 'a1', update: Y.encodeStateAsUpdate(doc), claims: [], ticket: 0 };
}

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('group commit', () => {
  let dataDir = '';
  let store: SqliteStore | null = null;
  afterEach(() => {
    store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(padId: string) {
    dataDir = tempDataDir();
    store = new SqliteStore({ dataDir, synchronous: 'NORMAL' });
    await store.loadPad(padId);
    const batches: number[] = [];
    const queue = new CommitQueue(store, silent as never, (_seconds, records) => batches.push(records));
    return { store, queue, batches, ...roomFor(padId) };
  }

  it('commits the writes of one turn together, after the turn', async () => {
    const { store, queue, batches, room, committed } = await open('cq-turn');
    queue.enqueue(write(room, 'a'));
    queue.enqueue(write(room, 'b'));
    expect((await store.readTail('cq-turn', 0)).updates).toHaveLength(0);
    await queue.drain();
    expect(committed).toEqual([1, 2]);
    expect(batches).toEqual([2]);
  });

  it('commits from inside a long turn once its oldest write has waited 8 ms', async () => {
    const { store, queue, batches, room, committed } = await open('cq-long');
    queue.enqueue(write(room, 'a'));
    busyFor(10);
    queue.enqueue(write(room, 'b'));
    // Still inside the same turn: both are in the log already.
    expect((await store.readTail('cq-long', 0)).lastSeq).toBe(2);
    queue.enqueue(write(room, 'c'));
    await queue.drain();
    expect(committed).toEqual([1, 2, 3]);
    expect(batches).toEqual([2, 1]);
  });
});
