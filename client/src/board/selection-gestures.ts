/**
 * The select tool's gestures: moving the selected shapes (arrows by both ends), resizing one
 * shape by a corner handle (the opposite corner stays put), and the marquee that selects what
 * it encloses. Points are in world units.
 */
import type { BoardShape } from '../../../common/board/board-doc.js';
import type { Point } from '../../../common/board/board-geometry.js';
import { rectOf, round, setAttributes, type GestureOf } from './board-gestures.js';
import type { ShapePatch } from './board-model.js';
import { corner, type Handle } from './selection-layer.js';
import { svgEl } from './shape-elements.js';

/** Smallest width and height a resize leaves, world units. */
const MIN_SIZE = 20;

/** Where each shape of `origins` goes when the selection is dragged by `dx`, `dy`. */
export function movePatches(origins: ReadonlyMap<string, BoardShape>, dx: number, dy: number): [string, ShapePatch][] {
  const patches: [string, ShapePatch][] = [];
  for (const [id, o] of origins) {
    if (o.type === 'arrow') patches.push([id, { x1: round(o.x1 + dx), y1: round(o.y1 + dy), x2: round(o.x2 + dx), y2: round(o.y2 + dy) }]);
    else patches.push([id, { x: round(o.x + dx), y: round(o.y + dy) }]);
  }
  return patches;
}

/** The box of the resized shape with its dragged handle at `p`. */
export function resizePatch(g: GestureOf<'resize'>, p: Point): ShapePatch {
  const o = g.origin;
  const fixed = corner({ x: o.x, y: o.y, w: o.w, h: o.h }, opposite(g.handle));
  return {
    x: round(Math.min(fixed.x, p.x)),
    y: round(Math.min(fixed.y, p.y)),
    w: round(Math.max(MIN_SIZE, Math.abs(p.x - fixed.x))),
    h: round(Math.max(MIN_SIZE, Math.abs(p.y - fixed.y))),
  };
}

/** Starts a marquee at `p`, its box drawn in `overlay` with a one-pixel stroke at `zoom`. */
export function marqueeGesture(overlay: SVGGElement, p: Point, zoom: number, additive: boolean): GestureOf<'marquee'> {
  const box = svgEl('rect', { fill: 'rgba(28,126,214,0.08)', stroke: '#1c7ed6', 'stroke-width': 1 / zoom });
  overlay.append(box);
  return { kind: 'marquee', start: p, box, additive };
}

export function drawMarquee(g: GestureOf<'marquee'>, p: Point): void {
  const r = rectOf(g.start, p);
  setAttributes(g.box, { x: r.x, y: r.y, width: r.w, height: r.h });
}

function opposite(handle: Handle): Handle {
  return ({ nw: 'se', ne: 'sw', sw: 'ne', se: 'nw' } as const)[handle];
}
