/**
 * Selection outlines in the board's overlay: this client's selection (dashed box, corner
 * handles for one resizable shape) and other people's selections in their colours. Sizes are
 * constant on screen, so it redraws when the zoom changes.
 */
import type { Point, Rect } from '../../../common/board/board-geometry.js';
import type { BoardRenderer } from './board-renderer.js';
import { svgEl } from './shape-elements.js';

export type Handle = 'nw' | 'ne' | 'sw' | 'se';
const HANDLES: Handle[] = ['nw', 'ne', 'sw', 'se'];
const RESIZABLE = new Set(['sticky', 'rect', 'ellipse', 'text']);

export interface OtherSelection {
  clientId: number;
  color: string;
  ids: string[];
}

export class SelectionLayer {
  private readonly own = svgEl('g', { class: 'board-selection' });
  private readonly others = svgEl('g', { class: 'board-others-selection' });
  private ids: string[] = [];
  private otherSelections: OtherSelection[] = [];
  private handleBox: Rect | null = null;

  constructor(private readonly renderer: BoardRenderer) {
    renderer.overlay.append(this.others, this.own);
    renderer.onViewport(() => this.redraw());
  }

  /** Shows `ids` as selected (after a change to the selection or to any of those shapes). */
  show(ids: Iterable<string>): void {
    this.ids = Array.from(ids);
    this.redraw();
  }

  showOthers(selections: OtherSelection[]): void {
    this.otherSelections = selections;
    this.redraw();
  }

  /** The corner handle under a world point, if one shape is selected and resizable. */
  handleAt(p: Point): Handle | null {
    const box = this.handleBox;
    if (!box) return null;
    const reach = 9 / this.renderer.viewport.zoom;
    for (const handle of HANDLES) {
      const c = corner(box, handle);
      if (Math.abs(p.x - c.x) <= reach && Math.abs(p.y - c.y) <= reach) return handle;
    }
    return null;
  }

  redraw(): void {
    const zoom = this.renderer.viewport.zoom;
    const line = 1.5 / zoom;
    const pad = 4 / zoom;
    this.own.replaceChildren();
    this.handleBox = null;
    const rect = this.renderer.contentBounds(this.ids);
    if (rect) {
      this.own.append(outline(rect, pad, '#1c7ed6', line, `${6 / zoom} ${4 / zoom}`));
      const single = this.ids.length === 1 ? this.renderer.lookup(this.ids[0]) : null;
      if (single && RESIZABLE.has(single.type)) {
        this.handleBox = rect;
        const size = 8 / zoom;
        for (const handle of HANDLES) {
          const c = corner(rect, handle);
          this.own.append(
            svgEl('rect', {
              x: c.x - size / 2,
              y: c.y - size / 2,
              width: size,
              height: size,
              fill: '#fff',
              stroke: '#1c7ed6',
              'stroke-width': line,
              'data-handle': handle,
            }),
          );
        }
      }
    }
    this.others.replaceChildren();
    for (const other of this.otherSelections) {
      const box = this.renderer.contentBounds(other.ids);
      if (box) this.others.append(outline(box, pad * 2, other.color, line * 1.5, ''));
    }
  }
}

function outline(rect: Rect, pad: number, color: string, width: number, dash: string): SVGRectElement {
  return svgEl('rect', {
    x: rect.x - pad,
    y: rect.y - pad,
    width: rect.w + 2 * pad,
    height: rect.h + 2 * pad,
    fill: 'none',
    stroke: color,
    'stroke-width': width,
    ...(dash ? { 'stroke-dasharray': dash } : {}),
  });
}

export function corner(rect: Rect, handle: Handle): Point {
  return { x: handle.endsWith('w') ? rect.x : rect.x + rect.w, y: handle.startsWith('n') ? rect.y : rect.y + rect.h };
}
