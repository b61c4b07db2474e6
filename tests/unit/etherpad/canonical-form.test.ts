/**
 * The export's changesets and atexts must be in the exact string form Etherpad's own import
 * checks (`Pad.check`). Etherpad stored every changeset and key atext of the sample files in
 * that form, so writing their ops and atexts again with our writer must give the same strings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayATexts } from '../../../server/etherpad/atext-replay.js';
import type { AText } from '../../../server/etherpad/atext.js';
import { formatChangeset, parseChangeset } from '../../../server/etherpad/changeset.js';
import { PoolWriter, atextAttribs, canonicalOps, type RawOp } from '../../../server/etherpad/changeset-writer.js';
import { readEtherpadExport, type EtherpadExport } from '../../../server/etherpad/export-file.js';

const fixture = (name: string): EtherpadExport =>
  readEtherpadExport(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'etherpad', name), 'utf8')));

/** The file's pool as a PoolWriter with the same numbers. */
function poolOf(file: EtherpadExport): PoolWriter {
  const numToAttrib = (file.pool as { numToAttrib: Record<string, [string, string]> }).numToAttrib;
  const pairs = Object.keys(numToAttrib)
    .map(Number)
    .sort((a, b) => a - b)
    .map((n) => numToAttrib[n]);
  return new PoolWriter(pairs);
}

/** Rewrites a changeset's ops through canonicalOps (texts taken from the old text and the char bank). */
function rewritten(changeset: string, before: AText): string {
  const cs = parseChangeset(changeset);
  const raw: RawOp[] = [];
  let pos = 0;
  let bank = 0;
  for (const op of cs.ops) {
    if (op.code === '+') {
      raw.push({ code: '+', text: cs.charBank.slice(bank, bank + op.chars), attribs: [...op.attribs] });
      bank += op.chars;
    } else {
      raw.push({ code: op.code, text: before.text.slice(pos, pos + op.chars), attribs: [...op.attribs] });
      pos += op.chars;
    }
  }
  return formatChangeset({ ...cs, ops: canonicalOps(raw) });
}

describe('canonical form of written changesets and atexts', () => {
  it.each([
    ['test.etherpad', Infinity],
    ['broken.etherpad', 1394],
  ])('rewrites every changeset of %s to the string Etherpad stored', (name, through) => {
    const file = fixture(name);
    const pool = poolOf(file);
    let before: AText | null = null;
    let checked = 0;
    for (const { record, atext } of replayATexts({
      ...file,
      revisions: file.revisions.slice(0, Math.min(file.head, through) + 1),
      atext: undefined,
    }).revisions) {
      if (before) {
        expect(rewritten(record.changeset, before), `revision ${record.rev}`).toBe(record.changeset);
        // Attribute lists are sorted by key, which PoolWriter.nums writes.
        for (const op of parseChangeset(record.changeset).ops) {
          const keys = op.attribs.map((n) => pool.pairs[n][0]);
          expect(keys, `revision ${record.rev}`).toEqual([...keys].sort());
        }
        checked += 1;
      }
      before = atext;
    }
    expect(checked).toBe(Math.min(file.head, through));
  });

  it('writes key-revision atexts and the final atext exactly as Etherpad stored them', () => {
    for (const [name, through] of [
      ['test.etherpad', 5],
      ['broken.etherpad', 1394],
    ] as const) {
      const file = fixture(name);
      const pool = poolOf(file);
      let keys = 0;
      for (const { record, atext } of replayATexts({ ...file, revisions: file.revisions.slice(0, through + 1), atext: undefined })
        .revisions) {
        const key = record.keyAText as { attribs: string } | undefined;
        if (key) {
          expect(atextAttribs(atext, pool), `${name} key revision ${record.rev}`).toBe(key.attribs);
          keys += 1;
        }
        if (name === 'test.etherpad' && record.rev === file.head)
          expect(atextAttribs(atext, pool)).toBe((file.atext as { attribs: string }).attribs);
      }
      expect(keys).toBe(name === 'test.etherpad' ? 1 : 14);
    }
  });
});
