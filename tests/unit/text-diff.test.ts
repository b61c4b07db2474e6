import { describe, expect, it } from 'vitest';
import type { DiffPartT as DiffPart } from '../../common/history-schemas.js';
import { diffBlocks, diffText } from '../../server/history/text-diff.js';
import { loadTrace } from '../helpers/traces.js';

const side = (parts: DiffPart[], skip: 'insert' | 'delete') =>
  parts
    .filter((p) => p.op !== skip)
    .map((p) => p.text)
    .join('');

describe('text diff', () => {
  it('marks a changed word inside an unchanged line', () => {
    const changes = diffText('one\nthe quick fox\nthree\n', 'one\nthe slow fox\nthree\n');
    expect(changes).toEqual([
      { op: 'equal', text: 'one\nthe ' },
      { op: 'delete', text: 'quick' },
      { op: 'insert', text: 'slow' },
      { op: 'equal', text: ' fox\nthree\n' },
    ]);
  });

  it('keeps whole lines at the block level', () => {
    expect(diffBlocks('a\nb\nc\n', 'a\nc\nd\n')).toEqual([
      { op: 'equal', text: 'a\n' },
      { op: 'delete', text: 'b\n' },
      { op: 'equal', text: 'c\n' },
      { op: 'insert', text: 'd\n' },
    ]);
  });

  it('rebuilds both texts exactly from the parts, across a real editing trace', () => {
    // seph-blog1's text at 12 points, diffed pairwise in both directions.
    const trace = loadTrace('seph-blog1');
    const snapshots: string[] = [];
    let text = trace.startContent;
    const every = Math.ceil(trace.txns.length / 12);
    trace.txns.forEach((txn, i) => {
      for (const [pos, del, ins] of txn.patches) text = text.slice(0, pos) + ins + text.slice(pos + del);
      if (i % every === 0) snapshots.push(text);
    });
    snapshots.push(text);
    for (let i = 0; i + 1 < snapshots.length; i += 1) {
      for (const [a, b] of [
        [snapshots[i], snapshots[i + 1]],
        [snapshots[i + 1], snapshots[0]],
      ]) {
        const blocks = diffBlocks(a, b);
        const changes = diffText(a, b, blocks);
        expect(side(blocks, 'insert')).toBe(a);
        expect(side(blocks, 'delete')).toBe(b);
        expect(side(changes, 'insert')).toBe(a);
        expect(side(changes, 'delete')).toBe(b);
        for (let k = 1; k < changes.length; k += 1) expect(changes[k].op).not.toBe(changes[k - 1].op);
      }
    }
  });
});
