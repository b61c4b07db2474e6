/**
 * The drawing tools' gestures: pen strokes (drawn in the overlay while the pointer moves, kept
 * local, written to the board once at the end), rectangle, ellipse and arrow previews and the
 * shapes they leave (a click without a drag leaves a default size; arrows bind to the shapes
 * under their ends), and where a new sticky or text label goes. Points are in world units.
 */
import type { BoardShape, StickyColor } from '../../../common/board/board-doc.js';
import { smoothPath, type Point } from '../../../common/board/board-geometry.js';
import { rectOf, round, setAttributes, type GestureOf } from './board-gestures.js';
import type { NewShape } from './board-model.js';
import type { BoardRenderer } from './board-renderer.js';
import { labelHeight, svgEl } from './shape-elements.js';

/** The shapes an arrow's end binds to when it is released over one. */
const BINDABLE = new Set(['sticky', 'rect', 'ellipse', 'text']);
/** Screen pixels a shape tool must be dragged for its size to count; less is a click. */
const DRAG_PX = 4;
/** Screen pixels a pen moves before its stroke gets another point. */
const STROKE_STEP_PX = 1.5;

export function strokeGesture(overlay: SVGGElement, p: Point, color: string, width: number): GestureOf<'draw'> {
  const path = svgEl('path', { fill: 'none', stroke: color, 'stroke-width': width, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' });
  overlay.append(path);
  const points = [round(p.x), round(p.y)];
  path.setAttribute('d', smoothPath(points));
  return { kind: 'draw', points, path };
}

export function extendStroke(g: GestureOf<'draw'>, p: Point, zoom: number): void {
  const last = g.points.length;
  if (Math.hypot(p.x - g.points[last - 2], p.y - g.points[last - 1]) < STROKE_STEP_PX / zoom) return;
  g.points.push(round(p.x), round(p.y));
  g.path.setAttribute('d', smoothPath(g.points));
}

export function shapeGesture(overlay: SVGGElement, type: 'rect' | 'ellipse' | 'arrow', p: Point, color: string): GestureOf<'shape'> {
  const dashed = { stroke: color, 'stroke-width': 2, 'stroke-dasharray': '6 4' };
  const preview = type === 'arrow' ? svgEl('line', dashed) : svgEl(type, { fill: 'none', ...dashed });
  overlay.append(preview);
  return { kind: 'shape', type, start: p, preview };
}

export function drawShapePreview(g: GestureOf<'shape'>, p: Point): void {
  const r = rectOf(g.start, p);
  if (g.type === 'arrow') setAttributes(g.preview, { x1: g.start.x, y1: g.start.y, x2: p.x, y2: p.y });
  else if (g.type === 'rect') setAttributes(g.preview, { x: r.x, y: r.y, width: r.w, height: r.h });
  else setAttributes(g.preview, { cx: r.x + r.w / 2, cy: r.y + r.h / 2, rx: r.w / 2, ry: r.h / 2 });
}

/** The shape a shape tool leaves when released at `p`. */
export function drawnShape(g: GestureOf<'shape'>, p: Point, renderer: BoardRenderer, color: string): NewShape {
  const dragged = Math.hypot(p.x - g.start.x, p.y - g.start.y) * renderer.viewport.zoom >= DRAG_PX;
  if (g.type === 'arrow') {
    const end = dragged ? p : { x: g.start.x + 160, y: g.start.y };
    const unbindable = (s: BoardShape) => !BINDABLE.has(s.type);
    const from = renderer.hitTest(g.start, 0, unbindable);
    const to = renderer.hitTest(end, 0, unbindable);
    return {
      type: 'arrow',
      x1: round(g.start.x),
      y1: round(g.start.y),
      x2: round(end.x),
      y2: round(end.y),
      from: from?.id ?? '',
      to: to && to.id !== from?.id ? to.id : '',
      color,
      width: 2,
    };
  }
  const r = dragged ? rectOf(g.start, p) : { x: g.start.x - 80, y: g.start.y - 50, w: 160, h: 100 };
  return { type: g.type, x: round(r.x), y: round(r.y), w: round(r.w), h: round(r.h), color, width: 2 };
}

/** A sticky centred on `p`. */
export function stickyAt(p: Point, color: StickyColor): NewShape {
  return { type: 'sticky', x: round(p.x - 100), y: round(p.y - 100), w: 200, h: 200, color };
}

/** An empty text label whose first line is at `p`. */
export function labelAt(p: Point, color: string): NewShape {
  return { type: 'text', x: round(p.x), y: round(p.y - 14), w: 280, h: labelHeight('', 280), color };
}
