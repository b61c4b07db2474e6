/**
 * The load authors' text without a Y.Doc (bench/load/text-runs.ts): every insert's update is
 * byte for byte what Y.Text sends for the same insert, from an empty pad or a seeded one, and
 * a document fed those updates holds the same text.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TextRuns } from '../../bench/load/text-runs.js';

function seedUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1;
  doc.getText('bench').insert(0, 'Agenda and action items. '.repeat(8));
  return Y.encodeStateAsUpdate(doc);
}

/** A deterministic source of positions, so a failure can be replayed. */
function positions(seed: number): (length: number) => number {
  let state = seed;
  return (length) => {
    state = (state * 48271) % 0x7fffffff;
    return state % (length + 1);
  };
}

describe('TextRuns', () => {
  for (const seeded of [false, true]) {
    it(`encodes inserts exactly as Y.Text does (${seeded ? 'seeded pad' : 'empty pad'})`, () => {
      const seed = seeded ? seedUpdate() : null;
      const reference = new Y.Doc();
      reference.clientID = 4242;
      if (seed) Y.applyUpdate(reference, seed);
      let sent: Uint8Array | null = null;
      reference.on('update', (update: Uint8Array) => (sent = update));
      const runs = new TextRuns(4242, 'bench', seed);
      const replica = new Y.Doc();
      if (seed) Y.applyUpdate(replica, seed);
      const next = positions(seeded ? 7 : 11);
      for (let i = 0; i < 300; i += 1) {
        const index = next(runs.length);
        expect(runs.nextClock).toBe(Y.getState(reference.store, 4242));
        const update = runs.insert(index, `${i % 10}bcd`);
        reference.getText('bench').insert(index, `${i % 10}bcd`);
        expect(update).toEqual(sent);
        Y.applyUpdate(replica, update);
      }
      expect(runs.length).toBe(reference.getText('bench').length);
      expect(replica.getText('bench').toString()).toBe(reference.getText('bench').toString());
    });
  }
});
