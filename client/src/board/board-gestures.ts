/**
 * What a pointer gesture on the board is doing between press and release, one variant per kind
 * (board-tools.ts routes the pointer events to them), and the helpers the gestures share.
 */
import type { BoardShape } from '../../../common/board/board-doc.js';
import type { Point } from '../../../common/board/board-geometry.js';
import type { Viewport } from './board-renderer.js';
import type { Handle } from './selection-layer.js';

export type Gesture =
  | { kind: 'none' }
  | { kind: 'pan'; sx: number; sy: number; view: Viewport }
  | { kind: 'pinch'; distance: number; mid: Point; view: Viewport }
  | { kind: 'move'; start: Point; origins: Map<string, BoardShape>; moved: boolean }
  | { kind: 'resize'; id: string; handle: Handle; origin: BoardShape }
  | { kind: 'marquee'; start: Point; box: SVGRectElement; additive: boolean }
  | { kind: 'draw'; points: number[]; path: SVGPathElement }
  | { kind: 'shape'; type: 'rect' | 'ellipse' | 'arrow'; start: Point; preview: SVGElement }
  | { kind: 'erase'; erased: Set<string> }
  /** A sticky or label was just placed: its text editor opens when the pointer is released. */
  | { kind: 'place'; id: string };

export type GestureOf<K extends Gesture['kind']> = Extract<Gesture, { kind: K }>;

/** Coordinates as the board stores them: to a tenth of a unit. */
export const round = (n: number): number => Math.round(n * 10) / 10;

/** The box with corners `a` and `b`. */
export function rectOf(a: Point, b: Point): { x: number; y: number; w: number; h: number } {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

export function setAttributes(element: Element, attributes: Record<string, number>): void {
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
}
