/**
 * Board keyboard shortcuts, as tldraw users know them: v select, h hand, d pen, n note,
 * r rectangle, o ellipse, a arrow, t text, e eraser; Delete / Backspace; Mod-Z undo,
 * Mod-Shift-Z (and Mod-Y) redo; Shift-1 zoom to fit; + / - zoom; Escape clears the selection;
 * space held pans. Never while typing in a text field, and only while the board is shown.
 */
import type { BoardTools, ToolName } from './board-tools.js';

const KEYS: Record<string, ToolName> = {
  v: 'select',
  h: 'hand',
  d: 'pen',
  p: 'pen',
  n: 'sticky',
  r: 'rect',
  o: 'ellipse',
  a: 'arrow',
  t: 'text',
  e: 'eraser',
};

export interface ShortcutTarget {
  tools: BoardTools;
  isActive(): boolean;
  undo(): void;
  redo(): void;
  zoomToFit(): void;
  zoomBy(factor: number): void;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}

/** Listens on `document`; returns the function that stops listening. */
export function bindShortcuts(target: ShortcutTarget): () => void {
  const down = (event: KeyboardEvent) => {
    if (!target.isActive() || typing(event.target) || event.altKey) return;
    const key = event.key.toLowerCase();
    const mod = event.metaKey || event.ctrlKey;
    if (mod) {
      if (key === 'z') target[event.shiftKey ? 'redo' : 'undo']();
      else if (key === 'y') target.redo();
      else return;
      event.preventDefault();
      return;
    }
    if (key === ' ') {
      target.tools.spaceHeld = true;
      target.tools.setCursorHint('grab');
    } else if (key === 'delete' || key === 'backspace') target.tools.deleteSelection();
    else if (key === 'escape') target.tools.select([]);
    else if (event.shiftKey && (event.code === 'Digit1' || key === '!')) target.zoomToFit();
    else if (key === '+' || key === '=') target.zoomBy(1.25);
    else if (key === '-' || key === '_') target.zoomBy(0.8);
    else if (!event.shiftKey && KEYS[key]) target.tools.setTool(KEYS[key]);
    else return;
    event.preventDefault();
  };
  const up = (event: KeyboardEvent) => {
    if (event.key === ' ') {
      target.tools.spaceHeld = false;
      target.tools.setCursorHint(null);
    }
  };
  document.addEventListener('keydown', down);
  document.addEventListener('keyup', up);
  return () => {
    document.removeEventListener('keydown', down);
    document.removeEventListener('keyup', up);
  };
}
