/**
 * The board's tools and what pointer gestures do with each: which gesture a press starts, and
 * routing moves and releases to it (select / move / resize / marquee in selection-gestures.ts;
 * pan, pinch and wheel in viewport-gestures.ts; pen, shapes, stickies and labels in
 * drawing-gestures.ts; the eraser here). Pointer events only, so mouse, pen and touch behave alike.
 */
import type { BoardShape, StickyColor } from '../../../common/board/board-doc.js';
import type { Point } from '../../../common/board/board-geometry.js';
import { rectOf, type Gesture } from './board-gestures.js';
import type { BoardModel, NewShape } from './board-model.js';
import type { BoardRenderer } from './board-renderer.js';
import { drawnShape, drawShapePreview, extendStroke, labelAt, shapeGesture, stickyAt, strokeGesture } from './drawing-gestures.js';
import { drawMarquee, marqueeGesture, movePatches, resizePatch } from './selection-gestures.js';
import type { SelectionLayer } from './selection-layer.js';
import { panGesture, pannedViewport, pinchedViewport, pinchGesture, wheelViewport } from './viewport-gestures.js';

export const TOOLS = ['select', 'hand', 'pen', 'sticky', 'rect', 'ellipse', 'arrow', 'text', 'eraser'] as const;
export type ToolName = (typeof TOOLS)[number];

export interface ToolCallbacks {
  onSelection(ids: string[]): void;
  onTool(tool: ToolName): void;
  onEditText(id: string): void;
  onPointer(p: Point | null): void;
  /** A press on the canvas (closes a text editor). */
  onPress(): void;
}

const TEXT_EDITABLE = new Set(['sticky', 'rect', 'ellipse', 'text']);
/** Screen pixels a selection must be dragged before it moves: a click on it does not nudge it. */
const MOVE_THRESHOLD_PX = 3;

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
          this.gesture = marqueeGesture(this.renderer.overlay, p, this.renderer.viewport.zoom, event.shiftKey);
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
      case 'pen':
        this.gesture = strokeGesture(this.renderer.overlay, p, this.penColor, this.penWidth);
        return;
      case 'rect':
      case 'ellipse':
      case 'arrow':
        this.gesture = shapeGesture(this.renderer.overlay, this.tool, p, this.penColor);
        return;
      case 'sticky':
        return this.place(stickyAt(p, this.stickyColor));
      case 'text':
        return this.place(labelAt(p, this.penColor));
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
        return this.renderer.setViewport(pannedViewport(g, at));
      case 'pinch': {
        const [a, b] = this.pointers.values();
        if (a && b) this.renderer.setViewport(pinchedViewport(g, a, b));
        return;
      }
      case 'move': {
        if (g.origins.size === 0) return;
        const dx = p.x - g.start.x;
        const dy = p.y - g.start.y;
        if (!g.moved && Math.hypot(dx, dy) * this.renderer.viewport.zoom < MOVE_THRESHOLD_PX) return;
        g.moved = true;
        this.model.updateMany(movePatches(g.origins, dx, dy));
        return;
      }
      case 'resize':
        return this.model.update(g.id, resizePatch(g, p));
      case 'marquee':
        return drawMarquee(g, p);
      case 'draw':
        return extendStroke(g, p, this.renderer.viewport.zoom);
      case 'shape':
        return drawShapePreview(g, p);
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
      this.gesture = rest ? panGesture(rest, this.renderer.viewport) : { kind: 'none' };
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
        const id = this.model.create(drawnShape(g, p, this.renderer, this.penColor));
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
    wheelViewport(this.renderer, event, this.local(event));
  };

  /** Creates a sticky or label and selects it; its text editor opens on release. */
  private place(shape: NewShape): void {
    const id = this.model.create(shape);
    this.model.endGesture();
    this.setTool('select');
    this.select([id]);
    this.gesture = { kind: 'place', id };
  }

  private startPan(event: PointerEvent): void {
    this.gesture = panGesture(this.local(event), this.renderer.viewport);
  }

  private startPinch(): void {
    const g = this.gesture;
    if (g.kind === 'draw' || g.kind === 'shape' || g.kind === 'marquee')
      (g.kind === 'draw' ? g.path : g.kind === 'shape' ? g.preview : g.box).remove();
    if (g.kind === 'move' || g.kind === 'resize' || g.kind === 'erase') this.model.endGesture();
    const [a, b] = this.pointers.values();
    this.gesture = pinchGesture(a, b, this.renderer.viewport);
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
