/**
 * The load authors' text without a Y.Doc (bench/load/text-runs.ts): every insert's update is
 * byte for byte what Y.XmlText sends for the same insert into the notes' shared paragraph, from
 * an empty pad or a seeded one, and a document fed those updates holds the same text.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TextRuns } from '../../bench/load/text-runs.js';
import { notesSeed, notesSkeleton, notesText, readNotesText } from '../helpers/notes-text.js';

const seedUpdate = () => notesSeed('Agenda and action items. '.repeat(8));

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
    it(`encodes inserts exactly as Y.XmlText does (${seeded ? 'seeded pad' : 'empty pad'})`, () => {
      const seed = seeded ? seedUpdate() : null;
      const reference = new Y.Doc();
      reference.clientID = 4242;
      Y.applyUpdate(reference, seed ?? notesSkeleton());
      let sent: Uint8Array | null = null;
      reference.on('update', (update: Uint8Array) => (sent = update));
      const runs = new TextRuns(4242, seed);
      const replica = new Y.Doc();
      Y.applyUpdate(replica, seed ?? notesSkeleton());
      const next = positions(seeded ? 7 : 11);
      for (let i = 0; i < 300; i += 1) {
        const index = next(runs.length);
        expect(runs.nextClock).toBe(Y.getState(reference.store, 4242));
        const update = runs.insert(index, `${i % 10}bcd`);
        notesText(reference).insert(index, `${i % 10}bcd`);
        expect(update).toEqual(sent);
        Y.applyUpdate(replica, update);
      }
      expect(runs.length).toBe(notesText(reference).length);
      expect(readNotesText(replica)).toBe(readNotesText(reference));
    });
  }
});
