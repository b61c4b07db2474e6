/**
 * The board panel of a pad page (loaded on demand): toolbar, canvas, shapes, tools, text
 * editing, other people's pointers, shortcuts, export. Lives on the pad's own Y.Doc and
 * awareness, so it shares the notes' connection.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { STICKY_COLORS, type StickyColor } from '../../../common/board/board-doc.js';
import { showMessage } from '../dialogs/form-dialog.js';
import { titleWithShortcut } from '../editor/shortcuts.js';
import { markScrollEdges } from '../layout/scroll-edges.js';
import { boardPng, boardSvg, download } from './board-export.js';
import { BoardModel } from './board-model.js';
import { BoardPointers } from './board-pointers.js';
import { BoardRenderer } from './board-renderer.js';
import { bindShortcuts } from './board-shortcuts.js';
import { BoardTools, type ToolName } from './board-tools.js';
import { SelectionLayer } from './selection-layer.js';
import { TextEditor } from './text-editor.js';
import './board.css';

export interface BoardOptions {
  host: HTMLElement;
  doc: Y.Doc;
  awareness: Awareness;
  /** A file name stem for exports. */
  name: string;
  readOnly: boolean;
  /** Whether the board is on screen (shortcuts only work then). */
  isActive(): boolean;
  /** Resolves after the first sync with the server (the board may fill in only then). */
  synced?: Promise<void>;
}

export interface BoardHandle {
  model: BoardModel;
  renderer: BoardRenderer;
  tools: BoardTools;
  setReadOnly(readOnly: boolean): void;
  /** Call when the panel becomes visible (fits the board the first time). */
  shown(): void;
  destroy(): void;
}

const TOOL_BUTTONS: { tool: ToolName; label: string; key: string; icon: string }[] = [
  { tool: 'select', label: 'Select', key: 'V', icon: '↖' },
  { tool: 'hand', label: 'Hand (pan)', key: 'H', icon: '✥' },
  { tool: 'pen', label: 'Pen', key: 'D', icon: '✎' },
  { tool: 'sticky', label: 'Sticky note', key: 'N', icon: '▤' },
  { tool: 'rect', label: 'Rectangle', key: 'R', icon: '▭' },
  { tool: 'ellipse', label: 'Ellipse', key: 'O', icon: '◯' },
  { tool: 'arrow', label: 'Arrow', key: 'A', icon: '→' },
  { tool: 'text', label: 'Text', key: 'T', icon: 'T' },
  { tool: 'eraser', label: 'Eraser', key: 'E', icon: '⌫' },
];
const PEN_COLORS = ['#1f2933', '#e03131', '#1c7ed6', '#2f9e44', '#f08c00', '#9c36b5'];
const PEN_WIDTHS = [2, 4, 8, 16];

function button(label: string, text: string, testid: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'board-button';
  b.title = label;
  b.setAttribute('aria-label', label);
  b.textContent = text;
  b.dataset.testid = testid;
  return b;
}

export function mountBoard(options: BoardOptions): BoardHandle {
  performance.mark('board:mount');
  const toolbar = document.createElement('div');
  toolbar.className = 'board-toolbar';
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Board tools');
  const canvas = document.createElement('div');
  canvas.className = 'board-canvas';
  canvas.dataset.testid = 'board-canvas';
  options.host.append(toolbar, canvas);
  const unmarkEdges = markScrollEdges(toolbar);

  const model = new BoardModel(options.doc);
  const renderer = new BoardRenderer(canvas, model);
  const selection = new SelectionLayer(renderer);
  const editor = new TextEditor(model, renderer);
  const pointers = new BoardPointers(options.awareness, renderer, selection);
  const tools = new BoardTools(model, renderer, selection, {
    onSelection: (ids) => pointers.setSelection(ids),
    onTool: (tool) => {
      for (const b of toolbar.querySelectorAll<HTMLButtonElement>('[data-tool]'))
        b.setAttribute('aria-pressed', String(b.dataset.tool === tool));
      styleGroup.dataset.tool = tool;
    },
    onEditText: (id) => editor.open(id),
    onPointer: (p) => pointers.setPointer(p),
    onPress: () => editor.close(),
  });

  // Tools.
  const toolGroup = document.createElement('div');
  toolGroup.className = 'board-toolbar__group';
  for (const t of TOOL_BUTTONS) {
    const b = button(`${t.label} (${t.key})`, t.icon, `board-tool-${t.tool}`);
    b.dataset.tool = t.tool;
    b.addEventListener('click', () => tools.setTool(t.tool));
    toolGroup.append(b);
  }
  // Colours and widths.
  const styleGroup = document.createElement('div');
  styleGroup.className = 'board-toolbar__group board-toolbar__style';
  for (const [name, fill] of Object.entries(STICKY_COLORS)) {
    const b = button(`Sticky colour: ${name}`, '', `board-sticky-${name}`);
    b.className = 'board-swatch board-swatch--sticky';
    b.style.background = fill;
    b.addEventListener('click', () => {
      tools.stickyColor = name as StickyColor;
      if (tools.selection.size)
        model.updateMany(Array.from(tools.selection, (id) => [id, model.get(id)?.type === 'sticky' ? { color: name } : {}]));
      markPressed('.board-swatch--sticky', b);
    });
    styleGroup.append(b);
  }
  for (const color of PEN_COLORS) {
    const b = button(`Colour ${color}`, '', `board-color-${color.slice(1)}`);
    b.className = 'board-swatch board-swatch--pen';
    b.style.background = color;
    b.addEventListener('click', () => {
      tools.penColor = color;
      if (tools.selection.size)
        model.updateMany(Array.from(tools.selection, (id) => [id, model.get(id)?.type === 'sticky' ? {} : { color }]));
      markPressed('.board-swatch--pen', b);
    });
    styleGroup.append(b);
  }
  const width = document.createElement('select');
  width.className = 'board-width';
  width.setAttribute('aria-label', 'Pen width');
  for (const w of PEN_WIDTHS) width.append(new Option(`${w} px`, String(w), w === tools.penWidth, w === tools.penWidth));
  width.addEventListener('change', () => (tools.penWidth = Number(width.value)));
  styleGroup.append(width);

  // History, zoom, export.
  const actions = document.createElement('div');
  actions.className = 'board-toolbar__group';
  const undo = button(titleWithShortcut('Undo', 'Mod-z'), '↶', 'board-undo');
  const redo = button(titleWithShortcut('Redo', 'Mod-Shift-z'), '↷', 'board-redo');
  const zoomOut = button('Zoom out (-)', '−', 'board-zoom-out');
  const zoomIn = button('Zoom in (+)', '+', 'board-zoom-in');
  const fit = button(titleWithShortcut('Zoom to fit', 'Shift-1'), 'Fit', 'board-zoom-fit');
  const svgButton = button('Download the board as SVG', 'SVG', 'board-export-svg');
  const pngButton = button('Download the board as PNG', 'PNG', 'board-export-png');
  const viewOnly = document.createElement('span');
  viewOnly.className = 'board-view-only';
  viewOnly.textContent = 'View only';
  viewOnly.hidden = true;
  actions.append(undo, redo, zoomOut, zoomIn, fit, svgButton, pngButton, viewOnly);
  toolbar.append(toolGroup, styleGroup, actions);

  const zoomBy = (factor: number) => renderer.zoomAt(canvas.clientWidth / 2, canvas.clientHeight / 2, factor);
  const refreshUndo = () => {
    undo.disabled = readOnly || !model.undoManager.canUndo();
    redo.disabled = readOnly || !model.undoManager.canRedo();
  };
  const doUndo = () => {
    if (readOnly) return;
    editor.close();
    model.undo();
  };
  const doRedo = () => {
    if (readOnly) return;
    editor.close();
    model.redo();
  };
  undo.addEventListener('click', doUndo);
  redo.addEventListener('click', doRedo);
  zoomOut.addEventListener('click', () => zoomBy(0.8));
  zoomIn.addEventListener('click', () => zoomBy(1.25));
  fit.addEventListener('click', () => renderer.zoomToFit());
  svgButton.addEventListener('click', () =>
    download(new Blob([boardSvg(renderer)], { type: 'image/svg+xml' }), `${options.name}-board.svg`),
  );
  pngButton.addEventListener('click', () => {
    boardPng(renderer).then(
      (blob) => download(blob, `${options.name}-board.png`),
      (err: unknown) => void showMessage('The PNG could not be made', (err as Error).message),
    );
  });
  for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) model.undoManager.on(event, refreshUndo);

  // An empty board says what to do with it, until something is on it.
  const emptyHint = document.createElement('p');
  emptyHint.className = 'board-empty';
  emptyHint.dataset.testid = 'board-empty';
  canvas.append(emptyHint);

  const unobserve = model.observe((ids) => {
    emptyHint.hidden = !model.isEmpty;
    // A large batch (the first sync of a big board, an undo of a big erase) is faster from scratch.
    if (ids.size > 300) renderer.renderAll();
    else renderer.render(ids);
    let selectionChanged = false;
    for (const id of ids) {
      if (tools.selection.has(id)) selectionChanged = true;
      if (tools.selection.has(id) && !model.get(id)) tools.selection.delete(id);
    }
    if (selectionChanged) selection.show(tools.selection);
    if (editor.editingId && ids.has(editor.editingId)) editor.place();
    pointers.draw();
  });
  const unbindKeys = bindShortcuts({
    tools,
    isActive: options.isActive,
    undo: doUndo,
    redo: doRedo,
    zoomToFit: () => renderer.zoomToFit(),
    zoomBy,
  });

  renderer.setViewport({ x: 0, y: 0, zoom: 1 });
  renderer.renderAll();
  performance.mark('board:rendered');
  performance.measure('board:first-render', 'board:mount', 'board:rendered');
  // The frame after the first one that shows the board: script, style, layout and paint done.
  requestAnimationFrame(() => requestAnimationFrame(() => performance.measure('board:first-frame', 'board:mount')));

  let readOnly: boolean | null = null;
  const setReadOnly = (value: boolean) => {
    if (value === readOnly) return;
    readOnly = value;
    tools.readOnly = value;
    editor.close();
    // A viewer can only pan; a writer (again) starts from the select tool.
    tools.setTool(value ? 'hand' : 'select');
    for (const b of toolbar.querySelectorAll<HTMLButtonElement>('[data-tool]')) b.hidden = value && b.dataset.tool !== 'hand';
    styleGroup.hidden = value;
    viewOnly.hidden = !value;
    emptyHint.hidden = !model.isEmpty;
    emptyHint.textContent = value
      ? 'Nothing on this board yet.'
      : 'An empty board for this pad. Pick a tool above: N for a sticky note, D to draw, A for an arrow, T for text. Everyone on the pad sees it live.';
    canvas.classList.toggle('board-canvas--read-only', value);
    refreshUndo();
  };
  setReadOnly(options.readOnly);

  // Opened straight onto the board (`#board`), the first fit can come before the shapes arrive
  // from the server: fit again once they have, unless the person has moved the view meanwhile.
  let fitted = false;
  let fittedEmpty = false;
  let touched = false;
  for (const type of ['pointerdown', 'wheel', 'keydown'] as const)
    canvas.addEventListener(type, () => (touched = true), { passive: true, once: true });
  void options.synced?.then(() => {
    if (fittedEmpty && !touched && renderer.contentBounds()) {
      fittedEmpty = false;
      renderer.zoomToFit();
    }
  });
  return {
    model,
    renderer,
    tools,
    setReadOnly,
    shown() {
      if (!fitted && canvas.clientWidth > 0) {
        fitted = true;
        fittedEmpty = renderer.contentBounds() === null;
        renderer.zoomToFit();
      }
    },
    destroy() {
      unobserve();
      unbindKeys();
      unmarkEdges();
      pointers.destroy();
      model.destroy();
      options.host.replaceChildren();
    },
  };
}

function markPressed(selector: string, pressed: HTMLElement): void {
  for (const b of pressed.parentElement?.querySelectorAll(selector) ?? []) b.setAttribute('aria-pressed', String(b === pressed));
}
