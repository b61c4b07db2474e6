/** The board gestures' arithmetic, without a browser: moving, resizing, panning and pinching. */
import { describe, expect, it } from 'vitest';
import type { BoardShape } from '../../../common/board/board-doc.js';
import { movePatches, resizePatch } from '../../../client/src/board/selection-gestures.js';
import { panGesture, pannedViewport, pinchedViewport, pinchGesture } from '../../../client/src/board/viewport-gestures.js';

const shape = (fields: Partial<BoardShape>): BoardShape => ({
  id: 's',
  type: 'rect',
  x: 0,
  y: 0,
  w: 0,
  h: 0,
  color: '',
  z: 'a0',
  text: '',
  width: 2,
  points: [],
  x1: 0,
  y1: 0,
  x2: 0,
  y2: 0,
  from: '',
  to: '',
  ...fields,
});

describe('selection gestures', () => {
  it('moves boxes by their corner and arrows by both ends, to a tenth of a unit', () => {
    const origins = new Map([
      ['box', shape({ id: 'box', x: 10, y: 20, w: 50, h: 50 })],
      ['arrow', shape({ id: 'arrow', type: 'arrow', x1: 1, y1: 2, x2: 3, y2: 4 })],
    ]);
    expect(movePatches(origins, 5.04, -2.26)).toEqual([
      ['box', { x: 15, y: 17.7 }],
      ['arrow', { x1: 6, y1: -0.3, x2: 8, y2: 1.7 }],
    ]);
  });

  it('resizes by a corner handle around the opposite corner, never below 20 units', () => {
    const origin = shape({ x: 100, y: 100, w: 80, h: 60 });
    // The south-east handle dragged up and left past the north-west corner: the box flips.
    expect(resizePatch({ kind: 'resize', id: 's', handle: 'se', origin }, { x: 40, y: 70 })).toEqual({ x: 40, y: 70, w: 60, h: 30 });
    // The north-west handle dragged onto the fixed south-east corner: the minimum size.
    expect(resizePatch({ kind: 'resize', id: 's', handle: 'nw', origin }, { x: 180, y: 160 })).toEqual({ x: 180, y: 160, w: 20, h: 20 });
  });
});

describe('viewport gestures', () => {
  it('pans by the pointer travel from where the pan started', () => {
    const pan = panGesture({ x: 10, y: 10 }, { x: -50, y: 20, zoom: 2 });
    expect(pannedViewport(pan, { x: 40, y: 5 })).toEqual({ x: -20, y: 15, zoom: 2 });
  });

  it('pinches around the fingers: zoom follows their distance, the world point under their midpoint follows it', () => {
    const view = { x: 30, y: -10, zoom: 1.5 };
    const pinch = pinchGesture({ x: 100, y: 100 }, { x: 200, y: 100 }, view);
    const world = { x: (150 - view.x) / view.zoom, y: (100 - view.y) / view.zoom };
    const next = pinchedViewport(pinch, { x: 120, y: 300 }, { x: 320, y: 300 });
    expect(next.zoom).toBeCloseTo(3);
    expect(world.x * next.zoom + next.x).toBeCloseTo(220);
    expect(world.y * next.zoom + next.y).toBeCloseTo(300);
  });
});
