/**
 * The board model on two Y.Docs that exchange updates by hand (a simulated network flushed
 * explicitly): concurrent edits converge, per-property writes keep both sides' changes, bound
 * arrows follow their shapes, undo covers only this client's own changes.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readBoard, stickiesByColor } from '../../../common/board/board-doc.js';
import { arrowEnds } from '../../../common/board/board-geometry.js';
import { keyBetween, keysBetween } from '../../../common/board/fractional-index.js';
import { BoardModel } from '../../../client/src/board/board-model.js';

/** Two peers whose updates queue until `flush()` delivers them both ways. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const toA: Uint8Array[] = [];
  const toB: Uint8Array[] = [];
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && toB.push(u));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && toA.push(u));
  const flush = () => {
    for (const u of toB.splice(0)) Y.applyUpdate(b, u, 'net');
    for (const u of toA.splice(0)) Y.applyUpdate(a, u, 'net');
  };
  return { a: new BoardModel(a), b: new BoardModel(b), flush };
}

describe('board model', () => {
  it('converges when two people move one sticky at once', () => {
    const { a, b, flush } = pair();
    const id = a.create({ type: 'sticky', x: 0, y: 0, w: 180, h: 180, color: 'yellow', text: 'Idea' });
    flush();
    a.update(id, { x: 100, y: 100 });
    b.update(id, { x: -50, y: 300 });
    flush();
    const sa = a.get(id);
    const sb = b.get(id);
    expect(sa).not.toBeNull();
    expect(sa).toEqual(sb);
    expect([100, -50]).toContain(sa?.x);
    expect(readBoard(a.doc)).toEqual(readBoard(b.doc));
  });

  it('keeps both changes when different properties of one shape change concurrently', () => {
    const { a, b, flush } = pair();
    const id = a.create({ type: 'sticky', x: 0, y: 0, w: 180, h: 180, color: 'yellow' });
    flush();
    a.update(id, { x: 40, y: 60 });
    b.update(id, { color: 'pink' });
    b.text(id)?.insert(0, 'from b');
    flush();
    for (const model of [a, b]) {
      expect(model.get(id)).toMatchObject({ x: 40, y: 60, color: 'pink', text: 'from b' });
    }
  });

  it('moves a bound arrow end with its sticky', () => {
    const { a, b, flush } = pair();
    const left = a.create({ type: 'sticky', x: 0, y: 0, w: 100, h: 100 });
    const right = a.create({ type: 'sticky', x: 400, y: 0, w: 100, h: 100 });
    const arrow = a.create({ type: 'arrow', from: left, to: right, x1: 50, y1: 50, x2: 450, y2: 50 });
    flush();
    const ends = (m: BoardModel) => arrowEnds(m.get(arrow)!, (id) => m.get(id));
    const [start, end] = ends(b);
    expect(start.x).toBeGreaterThan(100);
    expect(end.x).toBeLessThan(400);
    b.update(right, { x: 400, y: 500 });
    flush();
    const [, moved] = ends(a);
    expect(moved.y).toBeGreaterThan(490);
    expect(moved.y).toBeLessThan(500);
    // Deleting the sticky leaves the arrow with a free end where it was.
    a.remove([right]);
    flush();
    const left2 = b.get(arrow)!;
    expect(left2.to).toBe('');
    expect(left2.y2).toBeCloseTo(moved.y);
  });

  it('undoes only its own changes', () => {
    const { a, b, flush } = pair();
    const mine = a.create({ type: 'rect', x: 0, y: 0, w: 10, h: 10 });
    a.endGesture();
    flush();
    const theirs = b.create({ type: 'ellipse', x: 5, y: 5, w: 10, h: 10 });
    b.update(mine, { color: '#ff0000' });
    flush();
    a.update(mine, { x: 90 });
    a.endGesture();
    a.undo();
    expect(a.get(mine)).toMatchObject({ x: 0, color: '#ff0000' });
    a.undo();
    expect(a.get(mine)).toBeNull();
    expect(a.get(theirs)).not.toBeNull();
    // Nothing of b's is on a's stack.
    a.undo();
    expect(a.get(theirs)).not.toBeNull();
    a.redo();
    flush();
    expect(b.get(mine)).toMatchObject({ x: 0, color: '#ff0000' });
  });

  it('puts new shapes on top and brings shapes to the front', () => {
    const { a } = pair();
    const one = a.create({ type: 'rect' });
    const two = a.create({ type: 'rect' });
    expect(a.all().map((s) => s.id)).toEqual([one, two]);
    a.bringToFront([one]);
    expect(a.all().map((s) => s.id)).toEqual([two, one]);
  });

  it('groups sticky notes by colour for recaps', () => {
    const { a } = pair();
    a.create({ type: 'sticky', x: 0, y: 100, color: 'pink', text: 'second pink' });
    a.create({ type: 'sticky', x: 0, y: 0, color: 'pink', text: 'first pink' });
    a.create({ type: 'sticky', x: 0, y: 0, color: 'yellow', text: 'yellow one' });
    a.create({ type: 'sticky', x: 0, y: 0, color: 'green', text: '  ' });
    a.create({ type: 'rect', text: 'not a sticky' });
    expect(stickiesByColor(readBoard(a.doc))).toEqual([
      { color: 'yellow', texts: ['yellow one'] },
      { color: 'pink', texts: ['first pink', 'second pink'] },
    ]);
  });

  it('skips malformed shapes written by a hostile peer', () => {
    const doc = new Y.Doc();
    const map = doc.getMap<unknown>('board');
    map.set('junk', 42);
    const bad = new Y.Map<unknown>();
    bad.set('type', 'sticky');
    bad.set('x', 'not a number');
    bad.set('points', ['a', 1, null]);
    map.set('bad', bad);
    const shapes = readBoard(doc);
    expect(shapes).toHaveLength(1);
    expect(shapes[0]).toMatchObject({ id: 'bad', x: 0, points: [1] });
  });
});

describe('fractional index', () => {
  it('makes keys between any two keys, and short keys when appending', () => {
    let last: string | null = null;
    const appended: string[] = [];
    for (let i = 0; i < 5000; i++) appended.push((last = keyBetween(last, null)));
    expect([...appended].sort()).toEqual(appended);
    expect(appended[appended.length - 1].length).toBeLessThanOrEqual(4);
    let first: string | null = null;
    for (let i = 0; i < 500; i++) {
      const key = keyBetween(null, first);
      if (first !== null) expect(key < first).toBe(true);
      first = key;
    }
    // Repeated bisection towards one neighbour.
    let lo = 'a0';
    const hi = 'a1';
    for (let i = 0; i < 200; i++) {
      const mid = keyBetween(lo, hi);
      expect(lo < mid && mid < hi).toBe(true);
      lo = mid;
    }
    const spread = keysBetween('a0', 'a1', 100);
    expect([...spread].sort()).toEqual(spread);
    expect(new Set(spread).size).toBe(100);
    expect(() => keyBetween('a1', 'a0')).toThrow(RangeError);
  });
});
