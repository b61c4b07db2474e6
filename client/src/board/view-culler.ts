/**
 * Culling for the board renderer: only shapes whose bounds meet the drawn area (the view plus
 * the renderer's overscan) are displayed; the others stay in the DOM (exports, tests and the
 * text editor find them) but carry `display="none"`, so style, layout and paint skip them.
 * A redraw checks every shape's cached bounds (no DOM reads, so it is cheap) and
 * touches only the elements whose visibility changed.
 */
import type { Rect } from '../../../common/board/board-geometry.js';

/** World units added around a shape's bounds (text overflowing a sticky, stroke ends, arrow heads). */
const MARGIN = 40;

export class ViewCuller {
  private readonly bounds = new Map<string, Rect>();
  private readonly hidden = new Set<string>();
  /** The world rectangle last culled against; `null` until the first `cull`. */
  private area: Rect | null = null;

  constructor(private readonly element: (id: string) => SVGGElement | undefined) {}

  /** Records a shape's bounds (after it was drawn) and shows or hides it for the current area. */
  update(id: string, bounds: Rect): void {
    this.bounds.set(id, bounds);
    if (this.area) this.apply(id, meets(bounds, this.area));
  }

  remove(id: string): void {
    this.bounds.delete(id);
    this.hidden.delete(id);
  }

  clear(): void {
    this.bounds.clear();
    this.hidden.clear();
  }

  /** Shows the shapes that meet `area` (world units) and hides the rest. */
  cull(area: Rect): void {
    this.area = area;
    for (const [id, bounds] of this.bounds) this.apply(id, meets(bounds, area));
  }

  /** How many shapes are displayed now. */
  get shown(): number {
    return this.bounds.size - this.hidden.size;
  }

  private apply(id: string, visible: boolean): void {
    if (visible === !this.hidden.has(id)) return;
    const g = this.element(id);
    if (!g) return;
    if (visible) {
      this.hidden.delete(id);
      g.removeAttribute('display');
    } else {
      this.hidden.add(id);
      g.setAttribute('display', 'none');
    }
  }
}

function meets(b: Rect, area: Rect): boolean {
  return b.x - MARGIN <= area.x + area.w && b.x + b.w + MARGIN >= area.x && b.y - MARGIN <= area.y + area.h && b.y + b.h + MARGIN >= area.y;
}
