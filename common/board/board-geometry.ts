/**
 * Board geometry shared by the renderer, the tools and the server: shape bounds, where an
 * arrow's ends are (bound ends follow their shapes), smoothed stroke paths.
 */
import type { BoardShape } from './board-doc.js';

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A shape's bounding box in world units (strokes and arrows from their points). */
export function shapeBounds(shape: BoardShape, lookup?: (id: string) => BoardShape | null): Rect {
  switch (shape.type) {
    case 'stroke': {
      const p = shape.points;
      if (p.length < 2) return { x: shape.x, y: shape.y, w: 0, h: 0 };
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (let i = 0; i + 1 < p.length; i += 2) {
        if (p[i] < minX) minX = p[i];
        if (p[i] > maxX) maxX = p[i];
        if (p[i + 1] < minY) minY = p[i + 1];
        if (p[i + 1] > maxY) maxY = p[i + 1];
      }
      const pad = shape.width / 2;
      return { x: shape.x + minX - pad, y: shape.y + minY - pad, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad };
    }
    case 'arrow': {
      const [a, b] = arrowEnds(shape, lookup ?? (() => null));
      return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
    }
    default:
      return { x: shape.x, y: shape.y, w: shape.w, h: shape.h };
  }
}

export function center(rect: Rect): Point {
  return { x: rect.x + rect.w / 2, y: rect.y + rect.h / 2 };
}

/** Where the ray from the centre of `rect` towards `toward` leaves `rect` (plus `gap`). */
export function exitPoint(rect: Rect, toward: Point, gap = 6): Point {
  const c = center(rect);
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const sx = dx === 0 ? Infinity : (rect.w / 2 + gap) / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (rect.h / 2 + gap) / Math.abs(dy);
  const s = Math.min(sx, sy, 1);
  return { x: c.x + dx * s, y: c.y + dy * s };
}

/**
 * An arrow's two ends. A bound end sits on the edge of its shape, on the line between the two
 * ends' anchors, so it follows the shape wherever it moves; a free end (or one bound to a shape
 * that is gone) is its stored point.
 */
export function arrowEnds(arrow: BoardShape, lookup: (id: string) => BoardShape | null): [Point, Point] {
  const from = arrow.from ? lookup(arrow.from) : null;
  const to = arrow.to ? lookup(arrow.to) : null;
  const fromRect = from && from.type !== 'arrow' ? shapeBounds(from) : null;
  const toRect = to && to.type !== 'arrow' ? shapeBounds(to) : null;
  const anchorA = fromRect ? center(fromRect) : { x: arrow.x1, y: arrow.y1 };
  const anchorB = toRect ? center(toRect) : { x: arrow.x2, y: arrow.y2 };
  return [fromRect ? exitPoint(fromRect, anchorB) : anchorA, toRect ? exitPoint(toRect, anchorA) : anchorB];
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** An SVG path through flat `[x0, y0, x1, y1, ...]` points, smoothed with quadratic curves. */
export function smoothPath(points: readonly number[], dx = 0, dy = 0): string {
  const n = Math.floor(points.length / 2);
  if (n === 0) return '';
  const x = (i: number) => round(points[2 * i] + dx);
  const y = (i: number) => round(points[2 * i + 1] + dy);
  if (n === 1) return `M${x(0)} ${y(0)}l0.1 0`;
  let d = `M${x(0)} ${y(0)}`;
  for (let i = 1; i < n - 1; i++) {
    d += `Q${x(i)} ${y(i)} ${round((x(i) + x(i + 1)) / 2)} ${round((y(i) + y(i + 1)) / 2)}`;
  }
  return `${d}L${x(n - 1)} ${y(n - 1)}`;
}

export function rectsIntersect(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

/** The smallest rectangle holding all `rects`, or null for none. */
export function unionRect(rects: Iterable<Rect>): Rect | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of rects) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.w);
    maxY = Math.max(maxY, r.y + r.h);
  }
  return minX === Infinity ? null : { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}
