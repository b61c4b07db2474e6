/**
 * One shape as SVG: a `<g data-id>` whose children draw it. Visual properties are attributes,
 * never CSS classes, so a cloned board is a standalone SVG (export). Text wraps by an estimate
 * of character width: the same on screen, in exports and in hit tests.
 */
import { STICKY_COLORS, type BoardShape } from '../../../common/board/board-doc.js';
import { arrowEnds, smoothPath } from '../../../common/board/board-geometry.js';

export const SVG_NS = 'http://www.w3.org/2000/svg';
export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const STICKY_FONT_SIZE = 18;
export const LABEL_FONT_SIZE = 22;
export const LINE_HEIGHT = 1.3;
export const STICKY_PADDING = 12;

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

/** Lines of `text` wrapped at about `width` units for `fontSize` (words longer than a line are cut). */
export function wrapText(text: string, width: number, fontSize: number): string[] {
  const perLine = Math.max(1, Math.floor(width / (fontSize * 0.55)));
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      while (rest.length > perLine) {
        if (line) lines.push(line), (line = '');
        lines.push(rest.slice(0, perLine));
        rest = rest.slice(perLine);
      }
      const next = line ? `${line} ${rest}` : rest;
      if (next.length > perLine && line) {
        lines.push(line);
        line = rest;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

function textBlock(
  text: string,
  x: number,
  y: number,
  width: number,
  fontSize: number,
  fill: string,
  anchor: 'start' | 'middle' = 'start',
): SVGTextElement {
  const el = svgEl('text', { x, y, 'font-family': FONT_FAMILY, 'font-size': fontSize, fill, 'text-anchor': anchor });
  const lines = wrapText(text, width, fontSize);
  lines.forEach((line, i) => {
    const tspan = svgEl('tspan', { x, dy: i === 0 ? fontSize : fontSize * LINE_HEIGHT });
    tspan.textContent = line || '\u00a0';
    el.append(tspan);
  });
  return el;
}

/** Fill of a sticky colour name (unknown names fall back to yellow). */
export function stickyFill(color: string): string {
  return (STICKY_COLORS as Record<string, string>)[color] ?? STICKY_COLORS.yellow;
}

/** Replaces the children of `g` with the drawing of `shape`. */
export function drawShape(g: SVGGElement, shape: BoardShape, lookup: (id: string) => BoardShape | null): void {
  g.replaceChildren();
  g.setAttribute('data-type', shape.type);
  switch (shape.type) {
    case 'sticky': {
      g.setAttribute('transform', `translate(${shape.x} ${shape.y})`);
      g.append(
        svgEl('rect', {
          width: shape.w,
          height: shape.h,
          rx: 4,
          fill: stickyFill(shape.color),
          stroke: 'rgba(0,0,0,0.12)',
          'stroke-width': 1,
        }),
        textBlock(shape.text, STICKY_PADDING, STICKY_PADDING, shape.w - 2 * STICKY_PADDING, STICKY_FONT_SIZE, '#1f2933'),
      );
      return;
    }
    case 'rect':
    case 'ellipse': {
      g.setAttribute('transform', `translate(${shape.x} ${shape.y})`);
      const common = { fill: 'none', stroke: shape.color, 'stroke-width': shape.width };
      g.append(
        shape.type === 'rect'
          ? svgEl('rect', { width: shape.w, height: shape.h, rx: 2, ...common })
          : svgEl('ellipse', { cx: shape.w / 2, cy: shape.h / 2, rx: shape.w / 2, ry: shape.h / 2, ...common }),
      );
      if (shape.text) {
        const lines = wrapText(shape.text, shape.w - 16, STICKY_FONT_SIZE).length;
        const top = Math.max(4, shape.h / 2 - (lines * STICKY_FONT_SIZE * LINE_HEIGHT) / 2);
        g.append(textBlock(shape.text, shape.w / 2, top, shape.w - 16, STICKY_FONT_SIZE, shape.color, 'middle'));
      }
      return;
    }
    case 'text': {
      g.setAttribute('transform', `translate(${shape.x} ${shape.y})`);
      g.append(textBlock(shape.text, 0, 0, shape.w, LABEL_FONT_SIZE, shape.color));
      return;
    }
    case 'stroke': {
      g.removeAttribute('transform');
      g.append(
        svgEl('path', {
          d: smoothPath(shape.points, shape.x, shape.y),
          fill: 'none',
          stroke: shape.color,
          'stroke-width': shape.width,
          'stroke-linecap': 'round',
          'stroke-linejoin': 'round',
        }),
      );
      return;
    }
    case 'arrow': {
      g.removeAttribute('transform');
      const [a, b] = arrowEnds(shape, lookup);
      g.append(
        svgEl('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: shape.color, 'stroke-width': shape.width, 'stroke-linecap': 'round' }),
      );
      g.append(svgEl('polygon', { points: arrowHead(a.x, a.y, b.x, b.y, 8 + shape.width * 3), fill: shape.color }));
      return;
    }
  }
}

function arrowHead(x1: number, y1: number, x2: number, y2: number, size: number): string {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const p = (da: number) => `${(x2 - size * Math.cos(angle + da)).toFixed(1)},${(y2 - size * Math.sin(angle + da)).toFixed(1)}`;
  return `${x2.toFixed(1)},${y2.toFixed(1)} ${p(0.45)} ${p(-0.45)}`;
}

/** Height a text label needs for its text at its width. */
export function labelHeight(text: string, width: number): number {
  return Math.max(1, wrapText(text, width, LABEL_FONT_SIZE).length) * LABEL_FONT_SIZE * LINE_HEIGHT;
}
