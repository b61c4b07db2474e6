/**
 * The board as a standalone SVG document (every shape, white background, fitted with a
 * margin), and as a PNG drawn from that SVG onto a canvas.
 */
import { unionRect } from '../../../common/board/board-geometry.js';
import type { BoardRenderer } from './board-renderer.js';
import { SVG_NS } from './shape-elements.js';

const MARGIN = 32;

/** The whole board as SVG markup. */
export function boardSvg(renderer: BoardRenderer): string {
  const rect = unionRect(renderer.all().map((s) => renderer.bounds(s))) ?? { x: 0, y: 0, w: 400, h: 300 };
  const x = Math.floor(rect.x - MARGIN);
  const y = Math.floor(rect.y - MARGIN);
  const w = Math.ceil(rect.w + 2 * MARGIN);
  const h = Math.ceil(rect.h + 2 * MARGIN);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('viewBox', `${x} ${y} ${w} ${h}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  const background = document.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({ x, y, width: w, height: h, fill: '#ffffff' })) background.setAttribute(k, String(v));
  const shapes = renderer.shapesLayer.cloneNode(true) as SVGGElement;
  shapes.removeAttribute('class');
  // Shapes outside the view are culled on screen; the export shows all of them.
  for (const g of shapes.querySelectorAll('[display="none"]')) g.removeAttribute('display');
  svg.append(background, shapes);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`;
}

/** The whole board as a PNG at `scale` pixels per world unit (capped to 8192 px a side). */
export async function boardPng(renderer: BoardRenderer, scale = 2): Promise<Blob> {
  const markup = boardSvg(renderer);
  const match = /width="(\d+)" height="(\d+)"/.exec(markup);
  const w = Number(match?.[1] ?? 400);
  const h = Number(match?.[2] ?? 300);
  const factor = Math.min(scale, 8192 / w, 8192 / h);
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(w * factor));
    canvas.height = Math.max(1, Math.round(h * factor));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw to a canvas.');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be made.'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
