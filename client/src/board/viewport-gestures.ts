/**
 * Moving the board's view: a one-pointer pan, a two-finger pinch that keeps the world point
 * under the fingers' midpoint there, and the wheel (zoom; with Shift, scroll sideways; with
 * Ctrl, as trackpads send a pinch, zoom faster). Points are in the host's screen pixels.
 */
import type { Point } from '../../../common/board/board-geometry.js';
import type { GestureOf } from './board-gestures.js';
import type { BoardRenderer, Viewport } from './board-renderer.js';

export function panGesture(at: Point, view: Viewport): GestureOf<'pan'> {
  return { kind: 'pan', sx: at.x, sy: at.y, view };
}

export function pannedViewport(g: GestureOf<'pan'>, at: Point): Viewport {
  return { ...g.view, x: g.view.x + at.x - g.sx, y: g.view.y + at.y - g.sy };
}

export function pinchGesture(a: Point, b: Point, view: Viewport): GestureOf<'pinch'> {
  return { kind: 'pinch', distance: Math.hypot(a.x - b.x, a.y - b.y), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, view };
}

export function pinchedViewport(g: GestureOf<'pinch'>, a: Point, b: Point): Viewport {
  const distance = Math.hypot(a.x - b.x, a.y - b.y);
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const zoom = g.view.zoom * (g.distance > 0 ? distance / g.distance : 1);
  // The world point under the starting midpoint stays under the current midpoint.
  const wx = (g.mid.x - g.view.x) / g.view.zoom;
  const wy = (g.mid.y - g.view.y) / g.view.zoom;
  return { zoom, x: mid.x - wx * zoom, y: mid.y - wy * zoom };
}

export function wheelViewport(renderer: BoardRenderer, event: WheelEvent, at: Point): void {
  const view = renderer.viewport;
  if (event.shiftKey && !event.ctrlKey) {
    renderer.setViewport({ ...view, x: view.x - (event.deltaX || event.deltaY), y: view.y });
    return;
  }
  const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
  renderer.zoomAt(at.x, at.y, Math.exp(-event.deltaY * unit * (event.ctrlKey ? 0.01 : 0.0015)));
}
