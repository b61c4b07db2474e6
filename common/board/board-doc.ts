/**
 * The board inside a pad's Y.Doc, as both sides read it. Top-level name `board`: a Y.Map of
 * shape id -> Y.Map of that shape's properties, one key per property, so two people changing
 * different properties of one shape both keep their change:
 *
 * | key | shapes | value |
 * |---|---|---|
 * | `type` | all | `sticky`, `rect`, `ellipse`, `text`, `stroke`, `arrow` |
 * | `x`, `y`, `w`, `h` | sticky, rect, ellipse, text | world units (px at zoom 1); strokes: `x`, `y` offset their points |
 * | `color` | all | a sticky colour name (`STICKY_COLORS`) for stickies, `#rrggbb` otherwise |
 * | `text` | sticky, text, rect, ellipse | Y.Text, co-edited live |
 * | `points` | stroke | flat `[x0, y0, x1, y1, ...]`, written once when the stroke ends |
 * | `width` | stroke, arrow, rect, ellipse | stroke width, world units |
 * | `x1`, `y1`, `x2`, `y2` | arrow | free endpoints, used when not bound |
 * | `from`, `to` | arrow | id of the shape an end is bound to ('' when free) |
 * | `z` | all | fractional index string (`fractional-index.ts`); ties break by id |
 *
 * Readers never trust the values: a malformed shape is skipped, never thrown on.
 */
import * as Y from 'yjs';
import { BOARD_MAP } from '../pad-schema.js';

/** Top-level name of the board map in a pad's Y.Doc. */
export { BOARD_MAP };

export const SHAPE_TYPES = ['sticky', 'rect', 'ellipse', 'text', 'stroke', 'arrow'] as const;
export type ShapeType = (typeof SHAPE_TYPES)[number];

/** Sticky note colours: name -> fill. The name is what the doc stores and the recap groups by. */
export const STICKY_COLORS = {
  yellow: '#fff3a3',
  pink: '#ffc9de',
  green: '#c3f0c8',
  blue: '#c5e4ff',
  orange: '#ffd8a8',
  purple: '#e5d4ff',
} as const;
export type StickyColor = keyof typeof STICKY_COLORS;

/** Plain snapshot of one shape, as JSON. Absent properties get neutral defaults. */
export interface BoardShape {
  id: string;
  type: ShapeType;
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
  z: string;
  text: string;
  width: number;
  points: number[];
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  from: string;
  to: string;
}

export function boardMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(BOARD_MAP);
}

const num = (value: unknown, fallback = 0): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

/** One shape's properties, or null when it is not a shape (wrong type, unknown kind). */
export function readShape(id: string, shape: unknown): BoardShape | null {
  if (!(shape instanceof Y.Map)) return null;
  const type = shape.get('type');
  if (typeof type !== 'string' || !(SHAPE_TYPES as readonly string[]).includes(type)) return null;
  const text = shape.get('text');
  const points = shape.get('points');
  return {
    id,
    type: type as ShapeType,
    x: num(shape.get('x')),
    y: num(shape.get('y')),
    w: Math.max(0, num(shape.get('w'))),
    h: Math.max(0, num(shape.get('h'))),
    color: str(shape.get('color'), type === 'sticky' ? 'yellow' : '#1f2933'),
    z: str(shape.get('z')),
    text: text instanceof Y.Text ? text.toString() : '',
    width: num(shape.get('width'), 2),
    points: Array.isArray(points) ? points.filter((p): p is number => typeof p === 'number' && Number.isFinite(p)) : [],
    x1: num(shape.get('x1')),
    y1: num(shape.get('y1')),
    x2: num(shape.get('x2')),
    y2: num(shape.get('y2')),
    from: str(shape.get('from')),
    to: str(shape.get('to')),
  };
}

/** Orders shapes bottom to top: by z, then by id so concurrent equal keys agree everywhere. */
export function compareZ(a: { z: string; id: string }, b: { z: string; id: string }): number {
  if (a.z !== b.z) return a.z < b.z ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Every shape on the board, bottom to top. */
export function readBoard(doc: Y.Doc): BoardShape[] {
  const shapes: BoardShape[] = [];
  boardMap(doc).forEach((value, id) => {
    const shape = readShape(id, value);
    if (shape) shapes.push(shape);
  });
  return shapes.sort(compareZ);
}

export interface StickyGroup {
  color: string;
  /** The notes' texts, top to bottom then left to right on the board; empty notes left out. */
  texts: string[];
}

/** Sticky notes grouped by colour (in `STICKY_COLORS` order, unknown names after). */
export function stickiesByColor(shapes: readonly BoardShape[]): StickyGroup[] {
  const stickies = shapes.filter((s) => s.type === 'sticky' && s.text.trim() !== '').sort((a, b) => a.y - b.y || a.x - b.x);
  const groups = new Map<string, string[]>();
  for (const name of Object.keys(STICKY_COLORS)) groups.set(name, []);
  for (const sticky of stickies) {
    const texts = groups.get(sticky.color) ?? [];
    texts.push(sticky.text.trim());
    groups.set(sticky.color, texts);
  }
  return Array.from(groups, ([color, texts]) => ({ color, texts })).filter((g) => g.texts.length > 0);
}
