import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PackedUpdates, type SealedUpdates } from '../../server/sync/packed-updates.js';
import { SnapshotBuilder } from '../../server/sync/snapshot-builder.js';
import { waitUntil } from '../helpers/clients.js';

const builder = new SnapshotBuilder();
afterAll(() => builder.close());

/** A doc typed into at several places with deletions, its state part way, and the updates after. */
function history(): { doc: Y.Doc; base: Uint8Array; updates: SealedUpdates } {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, 'agenda: decisions, action items');
  const base = Y.encodeStateAsUpdate(doc);
  const packed = new PackedUpdates();
  // Small Buffers share a pool slab, as frames read from sockets do.
  doc.on('update', (update: Uint8Array) => packed.push(Buffer.from(update)));
  for (let i = 0; i < 200; i += 1) {
    if (i % 5 === 4) text.delete((i * 7) % (text.length - 3), 2);
    else text.insert((i * 13) % (text.length + 1), `n${i}`);
  }
  doc.getMap('meta').set('title', 'PTG recap');
  // One update bigger than a packing chunk (64 KB).
  doc.getText('notes').insert(0, 'x'.repeat(100_000));
  expect(packed.count).toBe(202);
  return { doc, base, updates: packed.seal() };
}

/** The nice value of each live thread of this process. */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch (err) {
      // The thread ended between listing and reading (the worker exiting, which this test waits for).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    // Fields after the command name: state is field 3, nice is field 19.
    return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
  });
}

describe('SnapshotBuilder', () => {
  it('builds the state of the base with the updates after it', async () => {
    const { doc, base, updates } = history();
    const state = await builder.build(base, updates);
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, state);
    expect(rebuilt.getText('t').toString()).toBe(doc.getText('t').toString());
    expect(rebuilt.getMap('meta').get('title')).toBe('PTG recap');
    expect(rebuilt.getText('notes').length).toBe(100_000);
    expect(Y.encodeStateVector(rebuilt)).toEqual(Y.encodeStateVector(doc));
    // The sealed updates moved to the worker; the base (which the store may be writing) stayed.
    expect(updates.bytes.byteLength).toBe(0);
    expect(base.length).toBeGreaterThan(0);
  });

  it('rejects a base it cannot read and builds the next one', async () => {
    await expect(builder.build(new Uint8Array([255, 255, 255, 255]), new PackedUpdates().seal())).rejects.toThrow(/snapshot build failed/);
    const { doc, base, updates } = history();
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, await builder.build(base, updates));
    expect(rebuilt.getText('t').toString()).toBe(doc.getText('t').toString());
  });

  it.runIf(process.platform === 'linux')('runs its thread at the lowest priority, only while it has work', async () => {
    const { base, updates } = history();
    let done = false;
    const build = builder.build(base, updates).finally(() => (done = true));
    let seenLowest = false;
    const lowestSeenOrDone = () => {
      seenLowest = threadNices().includes(19);
      return seenLowest || done;
    };
    await waitUntil(lowestSeenOrDone, 'the worker thread, or the build done', 60_000, 2);
    await build;
    expect(seenLowest).toBe(true);
    // The main thread keeps its priority; the worker is gone once nothing is left to build.
    expect(Math.min(...threadNices())).toBeLessThan(19);
    await waitUntil(() => !threadNices().includes(19), 'the worker thread gone', 5_000, 20);
  });
});
