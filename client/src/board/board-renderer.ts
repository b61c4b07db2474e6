/**
 * Draws the board into one SVG: a world group under a viewport transform (pan and zoom change
 * one attribute), one `<g>` per shape kept in a map by id and in z order, re-drawn only when
 * that shape (or a shape an arrow is bound to) changed. Also the geometric hit test the tools
 * use, so shapes themselves never take pointer events.
 */
import { compareZ, type BoardShape } from '../../../common/board/board-doc.js';
import { arrowEnds, shapeBounds, unionRect, type Point, type Rect } from '../../../common/board/board-geometry.js';
import type { BoardModel } from './board-model.js';
import { drawShape, labelHeight, svgEl } from './shape-elements.js';
import { ViewCuller } from './view-culler.js';

/** screen = world * zoom + (x, y), in CSS pixels relative to the board's top-left corner. */
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 8;
/** Below this zoom text is too small to read and is not drawn (it is most of the paint cost). */
export const TEXT_MIN_ZOOM = 0.3;
/** The SVG reaches this share of the visible size beyond each edge, so short pans show no gap. */
const OVERSCAN = 0.25;
/** A pan or zoom is redrawn crisply this long after it stops (ms); until then the drawn layer is moved. */
const SETTLE_MS = 150;

export class BoardRenderer {
  readonly svg: SVGSVGElement;
  readonly world: SVGGElement;
  readonly shapesLayer: SVGGElement;
  /** World-space layer above the shapes: selections, previews. */
  readonly overlay: SVGGElement;
  private readonly elements = new Map<string, SVGGElement>();
  private readonly shapes = new Map<string, BoardShape>();
  private order: BoardShape[] = [];
  /** Shape id -> ids of arrows bound to it. */
  private readonly boundArrows = new Map<string, Set<string>>();
  private view: Viewport = { x: 0, y: 0, zoom: 1 };
  /** The view the SVG was last drawn for; `view` differs from it during a pan or zoom. */
  private drawn: Viewport = { x: 0, y: 0, zoom: 1 };
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private overscan = { x: 0, y: 0, w: 0, h: 0 };
  private readonly viewListeners = new Set<() => void>();
  /** Hides the shapes outside the drawn area. */
  readonly culler = new ViewCuller((id) => this.elements.get(id));

  constructor(
    readonly host: HTMLElement,
    readonly model: BoardModel,
  ) {
    this.svg = svgEl('svg', { class: 'board-svg', role: 'img', 'aria-label': 'Board' });
    this.world = svgEl('g', { class: 'board-world' });
    this.shapesLayer = svgEl('g', { class: 'board-shapes' });
    this.overlay = svgEl('g', { class: 'board-overlay' });
    this.world.append(this.shapesLayer, this.overlay);
    this.svg.append(this.world);
    host.append(this.svg);
    this.resize();
    new ResizeObserver(() => this.resize()).observe(host);
  }

  /** Sizes the SVG to the host plus the overscan on every side. */
  private resize(): void {
    const w = this.host.clientWidth;
    const h = this.host.clientHeight;
    const x = Math.round(w * OVERSCAN);
    const y = Math.round(h * OVERSCAN);
    this.overscan = { x, y, w, h };
    Object.assign(this.svg.style, {
      left: `${-x}px`,
      top: `${-y}px`,
      width: `${w + 2 * x}px`,
      height: `${h + 2 * y}px`,
      transformOrigin: `${x}px ${y}px`,
    });
    this.draw();
  }

  get viewport(): Viewport {
    return this.view;
  }

  setViewport(view: Viewport): void {
    const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom));
    this.view = { x: view.x, y: view.y, zoom };
    this.host.style.backgroundPosition = `${view.x}px ${view.y}px`;
    this.host.style.backgroundSize = `${24 * zoom}px ${24 * zoom}px`;
    // Move the drawn layer (the compositor's work, no repaint) while it still covers the view;
    // redraw at once when it would not, and crisply once the view stops changing.
    const k = zoom / this.drawn.zoom;
    const dx = view.x - this.drawn.x * k;
    const dy = view.y - this.drawn.y * k;
    const { x: ox, y: oy, w, h } = this.overscan;
    const covered = dx - ox * k <= 0 && dy - oy * k <= 0 && dx + (w + ox) * k >= w && dy + (h + oy) * k >= h && k > 0.6 && k < 1.7;
    if (covered) {
      this.svg.style.transform = `translate(${dx}px, ${dy}px) scale(${k})`;
      if (this.settleTimer) clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.draw(), SETTLE_MS);
    } else this.draw();
    for (const listener of this.viewListeners) listener();
  }

  /** Draws the SVG for the current view (no layer transform). */
  private draw(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    const { x, y, zoom } = this.view;
    this.drawn = this.view;
    this.world.setAttribute('transform', `matrix(${zoom} 0 0 ${zoom} ${x + this.overscan.x} ${y + this.overscan.y})`);
    this.svg.style.transform = '';
    this.svg.classList.toggle('board-svg--far', zoom < TEXT_MIN_ZOOM);
    const { x: ox, y: oy, w, h } = this.overscan;
    this.culler.cull({ x: (-ox - x) / zoom, y: (-oy - y) / zoom, w: (w + 2 * ox) / zoom, h: (h + 2 * oy) / zoom });
  }

  onViewport(listener: () => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  /** Zooms by `factor` keeping the screen point (sx, sy) where it is. */
  zoomAt(sx: number, sy: number, factor: number): void {
    const { x, y, zoom } = this.view;
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom * factor));
    const wx = (sx - x) / zoom;
    const wy = (sy - y) / zoom;
    this.setViewport({ zoom: next, x: sx - wx * next, y: sy - wy * next });
  }

  /** Fits every shape (or `rect`) into the visible area, at most at zoom 1. */
  zoomToFit(rect: Rect | null = this.contentBounds()): void {
    const width = this.host.clientWidth || 800;
    const height = this.host.clientHeight || 600;
    if (!rect) return this.setViewport({ x: width / 2, y: height / 2, zoom: 1 });
    const zoom = Math.min(1, (width - 80) / Math.max(rect.w, 1), (height - 80) / Math.max(rect.h, 1));
    this.setViewport({ zoom, x: width / 2 - (rect.x + rect.w / 2) * zoom, y: height / 2 - (rect.y + rect.h / 2) * zoom });
  }

  /** World point under a pointer event's client coordinates. */
  toWorld(clientX: number, clientY: number): Point {
    const box = this.host.getBoundingClientRect();
    return { x: (clientX - box.left - this.view.x) / this.view.zoom, y: (clientY - box.top - this.view.y) / this.view.zoom };
  }

  /** Screen point (relative to the host) of a world point. */
  toScreen(p: Point): Point {
    return { x: p.x * this.view.zoom + this.view.x, y: p.y * this.view.zoom + this.view.y };
  }

  /** Draws the whole board from scratch (first render). */
  renderAll(): void {
    this.elements.clear();
    this.shapes.clear();
    this.boundArrows.clear();
    this.culler.clear();
    this.order = this.model.all();
    for (const shape of this.order) {
      this.shapes.set(shape.id, shape);
      this.bind(shape);
    }
    const fragment = document.createDocumentFragment();
    for (const shape of this.order) {
      const g = svgEl('g', { 'data-id': shape.id });
      drawShape(g, shape, this.lookup);
      this.elements.set(shape.id, g);
      this.culler.update(shape.id, this.bounds(shape));
      fragment.append(g);
    }
    this.shapesLayer.replaceChildren(fragment);
  }

  /** Re-draws the shapes `ids` (added, changed or deleted) and the arrows bound to them. */
  render(ids: Iterable<string>): void {
    const arrows = new Set<string>();
    for (const id of ids) {
      this.renderOne(id);
      for (const arrow of this.boundArrows.get(id) ?? []) arrows.add(arrow);
    }
    for (const arrow of arrows) {
      const shape = this.shapes.get(arrow);
      const g = this.elements.get(arrow);
      if (!shape || !g) continue;
      drawShape(g, shape, this.lookup);
      this.culler.update(arrow, this.bounds(shape));
    }
  }

  /** The current snapshot of a shape (as last rendered). */
  readonly lookup = (id: string): BoardShape | null => this.shapes.get(id) ?? null;

  all(): readonly BoardShape[] {
    return this.order;
  }

  bounds(shape: BoardShape): Rect {
    const rect = shapeBounds(shape, this.lookup);
    return shape.type === 'text' ? { ...rect, h: Math.max(rect.h, labelHeight(shape.text, shape.w)) } : rect;
  }

  contentBounds(ids?: Iterable<string>): Rect | null {
    const shapes = ids ? Array.from(ids, this.lookup).filter((s): s is BoardShape => s !== null) : this.order;
    return unionRect(shapes.map((s) => this.bounds(s)));
  }

  /** The top-most shape at a world point, within `tolerance` world units of lines. */
  hitTest(p: Point, tolerance: number, skip?: (shape: BoardShape) => boolean): BoardShape | null {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const shape = this.order[i];
      if (skip?.(shape)) continue;
      if (this.hits(shape, p, tolerance)) return shape;
    }
    return null;
  }

  /** Shapes whose bounds intersect `rect` (marquee). */
  inside(rect: Rect): BoardShape[] {
    return this.order.filter((s) => {
      const b = this.bounds(s);
      return b.x >= rect.x && b.y >= rect.y && b.x + b.w <= rect.x + rect.w && b.y + b.h <= rect.y + rect.h;
    });
  }

  private hits(shape: BoardShape, p: Point, tolerance: number): boolean {
    switch (shape.type) {
      case 'stroke': {
        const pts = shape.points;
        const reach = tolerance + shape.width / 2;
        for (let i = 0; i + 3 < pts.length; i += 2) {
          if (segmentDistance(p, pts[i] + shape.x, pts[i + 1] + shape.y, pts[i + 2] + shape.x, pts[i + 3] + shape.y) <= reach) return true;
        }
        return pts.length === 2 && Math.hypot(p.x - pts[0] - shape.x, p.y - pts[1] - shape.y) <= reach;
      }
      case 'arrow': {
        const [a, b] = arrowEnds(shape, this.lookup);
        return segmentDistance(p, a.x, a.y, b.x, b.y) <= tolerance + shape.width / 2;
      }
      default: {
        const b = this.bounds(shape);
        return p.x >= b.x - tolerance && p.x <= b.x + b.w + tolerance && p.y >= b.y - tolerance && p.y <= b.y + b.h + tolerance;
      }
    }
  }

  private renderOne(id: string): void {
    const shape = this.model.get(id);
    const old = this.shapes.get(id);
    if (old) this.unbind(old);
    let g = this.elements.get(id);
    if (!shape) {
      g?.remove();
      this.elements.delete(id);
      this.shapes.delete(id);
      this.culler.remove(id);
      if (old) this.order.splice(this.indexOf(old), 1);
      return;
    }
    this.shapes.set(id, shape);
    this.bind(shape);
    if (!g) {
      g = svgEl('g', { 'data-id': id });
      this.elements.set(id, g);
    }
    drawShape(g, shape, this.lookup);
    this.culler.update(id, this.bounds(shape));
    if (!old || old.z !== shape.z || !g.isConnected) {
      if (old) this.order.splice(this.indexOf(old), 1);
      const at = this.insertionIndex(shape);
      this.order.splice(at, 0, shape);
      const next = this.order[at + 1];
      this.shapesLayer.insertBefore(g, next ? (this.elements.get(next.id) ?? null) : null);
    } else {
      this.order[this.indexOf(old)] = shape;
    }
  }

  private indexOf(shape: BoardShape): number {
    const at = this.insertionIndex(shape);
    return this.order[at]?.id === shape.id ? at : this.order.findIndex((s) => s.id === shape.id);
  }

  /** First index whose shape sorts at or above `shape` (binary search on z, then id). */
  private insertionIndex(shape: BoardShape): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareZ(this.order[mid], shape) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private bind(shape: BoardShape): void {
    if (shape.type !== 'arrow') return;
    for (const end of [shape.from, shape.to]) {
      if (!end) continue;
      let set = this.boundArrows.get(end);
      if (!set) this.boundArrows.set(end, (set = new Set()));
      set.add(shape.id);
    }
  }

  private unbind(shape: BoardShape): void {
    if (shape.type !== 'arrow') return;
    for (const end of [shape.from, shape.to]) this.boundArrows.get(end)?.delete(shape.id);
  }
}

function segmentDistance(p: Point, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - x1) * dx + (p.y - y1) * dy) / length2));
  return Math.hypot(p.x - (x1 + t * dx), p.y - (y1 + t * dy));
}
