/**
 * What pointer gestures do on the board, per tool: select / move / resize / marquee, pan and
 * pinch, pen strokes (kept local while drawing, written once at the end), rectangles, ellipses
 * and arrows (bound to the shapes under their ends), stickies and text labels, the eraser.
 * Pointer events only, so mouse, pen and touch behave alike.
 */
import type { BoardShape, StickyColor } from '../../../common/board/board-doc.js';
import { smoothPath, type Point } from '../../../common/board/board-geometry.js';
import type { BoardModel, ShapePatch } from './board-model.js';
import type { BoardRenderer, Viewport } from './board-renderer.js';
import { corner, type Handle, type SelectionLayer } from './selection-layer.js';
import { labelHeight, svgEl } from './shape-elements.js';

export const TOOLS = ['select', 'hand', 'pen', 'sticky', 'rect', 'ellipse', 'arrow', 'text', 'eraser'] as const;
export type ToolName = (typeof TOOLS)[number];

type Gesture =
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

export interface ToolCallbacks {
  onSelection(ids: string[]): void;
  onTool(tool: ToolName): void;
  onEditText(id: string): void;
  onPointer(p: Point | null): void;
  /** A press on the canvas (closes a text editor). */
  onPress(): void;
}

const BINDABLE = new Set(['sticky', 'rect', 'ellipse', 'text']);
const TEXT_EDITABLE = new Set(['sticky', 'rect', 'ellipse', 'text']);

export class BoardTools {
  tool: ToolName = 'select';
  selection = new Set<string>();
  stickyColor: StickyColor = 'yellow';
  penColor = '#1f2933';
  penWidth = 4;
  readOnly = false;
  /** Space is held: any drag pans. */
  spaceHeld = false;
  private gesture: Gesture = { kind: 'none' };
  private readonly pointers = new Map<number, Point>();

  constructor(
    private readonly model: BoardModel,
    private readonly renderer: BoardRenderer,
    private readonly selectionLayer: SelectionLayer,
    private readonly callbacks: ToolCallbacks,
  ) {
    const host = renderer.host;
    host.addEventListener('pointerdown', this.down);
    host.addEventListener('pointermove', this.move);
    host.addEventListener('pointerup', this.up);
    host.addEventListener('pointercancel', this.up);
    host.addEventListener('pointerleave', () => callbacks.onPointer(null));
    host.addEventListener('dblclick', this.doubleClick);
    host.addEventListener('wheel', this.wheel, { passive: false });
  }

  setTool(tool: ToolName): void {
    if (this.readOnly && tool !== 'hand' && tool !== 'select') return;
    this.tool = tool;
    if (tool !== 'select') this.select([]);
    this.renderer.host.dataset.tool = tool;
    this.callbacks.onTool(tool);
  }

  /** Shows a cursor for a held modifier (space: grab), or the tool's own when null. */
  setCursorHint(cursor: 'grab' | null): void {
    if (cursor) this.renderer.host.dataset.cursor = cursor;
    else delete this.renderer.host.dataset.cursor;
  }

  select(ids: Iterable<string>): void {
    this.selection = new Set(ids);
    this.selectionLayer.show(this.selection);
    this.callbacks.onSelection(Array.from(this.selection));
  }

  deleteSelection(): void {
    if (this.readOnly || this.selection.size === 0) return;
    this.model.remove(this.selection);
    this.model.endGesture();
    this.select([]);
  }

  private local(event: PointerEvent | WheelEvent): Point {
    const box = this.renderer.host.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  private readonly down = (event: PointerEvent): void => {
    if (event.target instanceof Element && event.target.closest('.board-text-editor')) return;
    // No compatibility mousedown: it would move focus away from a text editor opened below.
    event.preventDefault();
    this.callbacks.onPress();
    this.renderer.host.setPointerCapture(event.pointerId);
    this.pointers.set(event.pointerId, this.local(event));
    if (this.pointers.size === 2) return this.startPinch();
    if (this.pointers.size > 2) return;
    const p = this.renderer.toWorld(event.clientX, event.clientY);
    const tolerance = 6 / this.renderer.viewport.zoom;
    if (this.readOnly || this.tool === 'hand' || this.spaceHeld || event.button === 1) return this.startPan(event);
    switch (this.tool) {
      case 'select': {
        const handle = this.selectionLayer.handleAt(p);
        if (handle && this.selection.size === 1) {
          const origin = this.model.get(Array.from(this.selection)[0]);
          if (origin) this.gesture = { kind: 'resize', id: origin.id, handle, origin: { ...origin, h: this.renderer.bounds(origin).h } };
          return;
        }
        const hit = this.renderer.hitTest(p, tolerance);
        if (!hit) {
          const box = svgEl('rect', { fill: 'rgba(28,126,214,0.08)', stroke: '#1c7ed6', 'stroke-width': 1 / this.renderer.viewport.zoom });
          this.renderer.overlay.append(box);
          this.gesture = { kind: 'marquee', start: p, box, additive: event.shiftKey };
          if (!event.shiftKey) this.select([]);
          return;
        }
        if (event.shiftKey) {
          const next = new Set(this.selection);
          if (next.has(hit.id)) next.delete(hit.id);
          else next.add(hit.id);
          this.select(next);
        } else if (!this.selection.has(hit.id)) this.select([hit.id]);
        const origins = new Map<string, BoardShape>();
        for (const id of this.selection) {
          const shape = this.model.get(id);
          if (shape) origins.set(id, shape);
        }
        this.gesture = { kind: 'move', start: p, origins, moved: false };
        return;
      }
      case 'pen': {
        const path = svgEl('path', {
          fill: 'none',
          stroke: this.penColor,
          'stroke-width': this.penWidth,
          'stroke-linecap': 'round',
          'stroke-linejoin': 'round',
        });
        this.renderer.overlay.append(path);
        this.gesture = { kind: 'draw', points: [round(p.x), round(p.y)], path };
        path.setAttribute('d', smoothPath(this.gesture.points));
        return;
      }
      case 'rect':
      case 'ellipse':
      case 'arrow': {
        const preview =
          this.tool === 'arrow'
            ? svgEl('line', { stroke: this.penColor, 'stroke-width': 2, 'stroke-dasharray': '6 4' })
            : svgEl(this.tool === 'rect' ? 'rect' : 'ellipse', {
                fill: 'none',
                stroke: this.penColor,
                'stroke-width': 2,
                'stroke-dasharray': '6 4',
              });
        this.renderer.overlay.append(preview);
        this.gesture = { kind: 'shape', type: this.tool, start: p, preview };
        return;
      }
      case 'sticky': {
        const id = this.model.create({ type: 'sticky', x: round(p.x - 100), y: round(p.y - 100), w: 200, h: 200, color: this.stickyColor });
        this.model.endGesture();
        this.setTool('select');
        this.select([id]);
        this.gesture = { kind: 'place', id };
        return;
      }
      case 'text': {
        const id = this.model.create({
          type: 'text',
          x: round(p.x),
          y: round(p.y - 14),
          w: 280,
          h: labelHeight('', 280),
          color: this.penColor,
        });
        this.model.endGesture();
        this.setTool('select');
        this.select([id]);
        this.gesture = { kind: 'place', id };
        return;
      }
      case 'eraser':
        this.gesture = { kind: 'erase', erased: new Set() };
        this.erase(p, tolerance);
        return;
    }
  };

  private readonly move = (event: PointerEvent): void => {
    const at = this.local(event);
    if (this.pointers.has(event.pointerId)) this.pointers.set(event.pointerId, at);
    const p = this.renderer.toWorld(event.clientX, event.clientY);
    this.callbacks.onPointer(p);
    const g = this.gesture;
    switch (g.kind) {
      case 'none':
        return;
      case 'pan':
        return this.renderer.setViewport({ ...g.view, x: g.view.x + at.x - g.sx, y: g.view.y + at.y - g.sy });
      case 'pinch':
        return this.pinch(g);
      case 'move': {
        const first = g.origins.values().next().value;
        if (!first) return;
        const dx = p.x - g.start.x;
        const dy = p.y - g.start.y;
        if (!g.moved && Math.hypot(dx, dy) * this.renderer.viewport.zoom < 3) return;
        g.moved = true;
        const patches: [string, ShapePatch][] = [];
        for (const [id, o] of g.origins) {
          if (o.type === 'arrow')
            patches.push([id, { x1: round(o.x1 + dx), y1: round(o.y1 + dy), x2: round(o.x2 + dx), y2: round(o.y2 + dy) }]);
          else patches.push([id, { x: round(o.x + dx), y: round(o.y + dy) }]);
        }
        this.model.updateMany(patches);
        return;
      }
      case 'resize': {
        const o = g.origin;
        const fixed = corner({ x: o.x, y: o.y, w: o.w, h: o.h }, opposite(g.handle));
        const min = 20;
        const x = Math.min(fixed.x, p.x);
        const y = Math.min(fixed.y, p.y);
        this.model.update(g.id, {
          x: round(x),
          y: round(y),
          w: round(Math.max(min, Math.abs(p.x - fixed.x))),
          h: round(Math.max(min, Math.abs(p.y - fixed.y))),
        });
        return;
      }
      case 'marquee': {
        const r = rectOf(g.start, p);
        for (const [k, v] of Object.entries({ x: r.x, y: r.y, width: r.w, height: r.h })) g.box.setAttribute(k, String(v));
        return;
      }
      case 'draw': {
        const last = g.points.length;
        const min = 1.5 / this.renderer.viewport.zoom;
        if (Math.hypot(p.x - g.points[last - 2], p.y - g.points[last - 1]) < min) return;
        g.points.push(round(p.x), round(p.y));
        g.path.setAttribute('d', smoothPath(g.points));
        return;
      }
      case 'shape': {
        const r = rectOf(g.start, p);
        if (g.type === 'arrow')
          for (const [k, v] of Object.entries({ x1: g.start.x, y1: g.start.y, x2: p.x, y2: p.y })) g.preview.setAttribute(k, String(v));
        else if (g.type === 'rect')
          for (const [k, v] of Object.entries({ x: r.x, y: r.y, width: r.w, height: r.h })) g.preview.setAttribute(k, String(v));
        else
          for (const [k, v] of Object.entries({ cx: r.x + r.w / 2, cy: r.y + r.h / 2, rx: r.w / 2, ry: r.h / 2 }))
            g.preview.setAttribute(k, String(v));
        return;
      }
      case 'erase':
        return this.erase(p, 6 / this.renderer.viewport.zoom);
      case 'place':
        return;
    }
  };

  private readonly up = (event: PointerEvent): void => {
    this.pointers.delete(event.pointerId);
    const g = this.gesture;
    if (g.kind === 'pinch') {
      // One finger left: carry on as a pan from where it is.
      const [rest] = this.pointers.values();
      this.gesture = rest ? { kind: 'pan', sx: rest.x, sy: rest.y, view: this.renderer.viewport } : { kind: 'none' };
      return;
    }
    if (this.pointers.size > 0) return;
    this.gesture = { kind: 'none' };
    const p = this.renderer.toWorld(event.clientX, event.clientY);
    switch (g.kind) {
      case 'marquee': {
        g.box.remove();
        const found = this.renderer.inside(rectOf(g.start, p)).map((s) => s.id);
        this.select(g.additive ? [...this.selection, ...found] : found);
        break;
      }
      case 'draw':
        g.path.remove();
        if (event.type !== 'pointercancel')
          this.model.create({ type: 'stroke', x: 0, y: 0, points: g.points, color: this.penColor, width: this.penWidth });
        break;
      case 'shape': {
        g.preview.remove();
        if (event.type === 'pointercancel') break;
        const dragged = Math.hypot(p.x - g.start.x, p.y - g.start.y) * this.renderer.viewport.zoom >= 4;
        let id: string;
        if (g.type === 'arrow') {
          const end = dragged ? p : { x: g.start.x + 160, y: g.start.y };
          const bindable = (s: BoardShape) => !BINDABLE.has(s.type);
          const from = this.renderer.hitTest(g.start, 0, bindable);
          const to = this.renderer.hitTest(end, 0, bindable);
          id = this.model.create({
            type: 'arrow',
            x1: round(g.start.x),
            y1: round(g.start.y),
            x2: round(end.x),
            y2: round(end.y),
            from: from?.id ?? '',
            to: to && to.id !== from?.id ? to.id : '',
            color: this.penColor,
            width: 2,
          });
        } else {
          const r = dragged ? rectOf(g.start, p) : { x: g.start.x - 80, y: g.start.y - 50, w: 160, h: 100 };
          id = this.model.create({
            type: g.type,
            x: round(r.x),
            y: round(r.y),
            w: round(r.w),
            h: round(r.h),
            color: this.penColor,
            width: 2,
          });
        }
        this.setTool('select');
        this.select([id]);
        break;
      }
      case 'place':
        // Only now: the browser moves focus on a press, which would close an editor opened then.
        this.model.endGesture();
        this.callbacks.onEditText(g.id);
        return;
      default:
        break;
    }
    this.model.endGesture();
  };

  private readonly doubleClick = (event: MouseEvent): void => {
    if (this.readOnly || this.tool !== 'select') return;
    const hit = this.renderer.hitTest(this.renderer.toWorld(event.clientX, event.clientY), 4 / this.renderer.viewport.zoom);
    if (hit && TEXT_EDITABLE.has(hit.type)) {
      this.select([hit.id]);
      this.callbacks.onEditText(hit.id);
    }
  };

  private readonly wheel = (event: WheelEvent): void => {
    event.preventDefault();
    const at = this.local(event);
    const view = this.renderer.viewport;
    if (event.shiftKey && !event.ctrlKey) {
      this.renderer.setViewport({ ...view, x: view.x - (event.deltaX || event.deltaY), y: view.y });
      return;
    }
    const unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1;
    this.renderer.zoomAt(at.x, at.y, Math.exp(-event.deltaY * unit * (event.ctrlKey ? 0.01 : 0.0015)));
  };

  private startPan(event: PointerEvent): void {
    const at = this.local(event);
    this.gesture = { kind: 'pan', sx: at.x, sy: at.y, view: this.renderer.viewport };
  }

  private startPinch(): void {
    const g = this.gesture;
    if (g.kind === 'draw' || g.kind === 'shape' || g.kind === 'marquee')
      (g.kind === 'draw' ? g.path : g.kind === 'shape' ? g.preview : g.box).remove();
    if (g.kind === 'move' || g.kind === 'resize' || g.kind === 'erase') this.model.endGesture();
    const [a, b] = this.pointers.values();
    this.gesture = {
      kind: 'pinch',
      distance: Math.hypot(a.x - b.x, a.y - b.y),
      mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
      view: this.renderer.viewport,
    };
  }

  private pinch(g: Extract<Gesture, { kind: 'pinch' }>): void {
    const [a, b] = this.pointers.values();
    if (!a || !b) return;
    const distance = Math.hypot(a.x - b.x, a.y - b.y);
    const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const zoom = g.view.zoom * (g.distance > 0 ? distance / g.distance : 1);
    // The world point under the starting midpoint stays under the current midpoint.
    const wx = (g.mid.x - g.view.x) / g.view.zoom;
    const wy = (g.mid.y - g.view.y) / g.view.zoom;
    this.renderer.setViewport({ zoom, x: mid.x - wx * zoom, y: mid.y - wy * zoom });
  }

  private erase(p: Point, tolerance: number): void {
    const g = this.gesture;
    if (g.kind !== 'erase') return;
    const hit = this.renderer.hitTest(p, tolerance);
    if (!hit || g.erased.has(hit.id)) return;
    g.erased.add(hit.id);
    this.model.remove([hit.id]);
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;

function rectOf(a: Point, b: Point) {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

function opposite(handle: Handle): Handle {
  return ({ nw: 'se', ne: 'sw', sw: 'ne', se: 'nw' } as const)[handle];
}
