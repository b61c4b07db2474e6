/**
 * The pad page's way into the board, small enough to load with the page: "Notes" and "Board"
 * tabs above the notes. The board code itself is loaded on first use (or at once when the
 * address ends in `#board`).
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { BoardHandle } from './board-view.js';
import './board-tab.css';

export interface BoardTabOptions {
  padId: string;
  doc: Y.Doc;
  awareness: Awareness;
  /** The tab bar is inserted before this element. */
  before: HTMLElement;
  /** The notes' elements, hidden while the board is shown. */
  notes: HTMLElement[];
  /** Whether this page may only view the pad (`!PadConnection.canWrite`). */
  readOnly(): boolean;
  /** Subscribes to changes of `readOnly()`. */
  onAccessChange(listener: () => void): void;
  /** Resolves after the first sync with the server. */
  synced: Promise<void>;
}

export type PadView = 'notes' | 'board';

/** The tabs as other parts of the page (the timeslider) see them. */
export interface PadViews {
  /** The tab the user has chosen. */
  current(): PadView;
  /** Calls `listener` whenever the user switches tabs; returns the way to stop. */
  onSwitch(listener: (view: PadView) => void): () => void;
  /** While history is open the live notes and the live board stay hidden, whichever tab is chosen. */
  setHistoryOpen(open: boolean): void;
}

export function mountBoardTab(options: BoardTabOptions): PadViews {
  const bar = document.createElement('div');
  bar.className = 'pad-tabs';
  bar.setAttribute('role', 'tablist');
  bar.setAttribute('aria-label', 'Pad views');
  const panel = document.createElement('section');
  panel.className = 'board-panel';
  panel.id = 'board-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'tabpanel');
  panel.setAttribute('aria-label', 'Board');
  const tab = (label: string, testid: string, selected: boolean) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'pad-tab';
    b.textContent = label;
    b.dataset.testid = testid;
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-selected', String(selected));
    bar.append(b);
    return b;
  };
  const notesTab = tab('Notes', 'tab-notes', true);
  const boardTab = tab('Board', 'tab-board', false);
  boardTab.setAttribute('aria-controls', panel.id);
  options.before.before(bar);
  const last = options.notes[options.notes.length - 1] ?? options.before;
  last.after(panel);

  let board: Promise<BoardHandle> | null = null;
  const load = () =>
    (board ??= import('./board-view.js').then(({ mountBoard }) =>
      mountBoard({
        host: panel,
        doc: options.doc,
        awareness: options.awareness,
        name: options.padId,
        readOnly: options.readOnly(),
        isActive: () => !panel.hidden,
        synced: options.synced,
      }),
    ));
  options.onAccessChange(() => void board?.then((b) => b.setReadOnly(options.readOnly())));

  let current: PadView = 'notes';
  let historyOpen = false;
  const listeners = new Set<(view: PadView) => void>();
  const show = (which: PadView) => {
    const onBoard = which === 'board';
    const changed = which !== current;
    current = which;
    notesTab.setAttribute('aria-selected', String(!onBoard));
    boardTab.setAttribute('aria-selected', String(onBoard));
    for (const el of options.notes) el.hidden = onBoard || historyOpen;
    panel.hidden = !onBoard || historyOpen;
    document.body.classList.toggle('pad-page--board', onBoard);
    if (location.hash === '#board' && !onBoard) history.replaceState(null, '', location.pathname + location.search);
    if (onBoard && location.hash !== '#board') history.replaceState(null, '', `${location.pathname}${location.search}#board`);
    if (changed) for (const listener of listeners) listener(which);
    if (onBoard && !historyOpen) {
      fitHeight();
      load().then(
        (b) => b.shown(),
        (err: unknown) => {
          board = null;
          panel.textContent = `The board could not be loaded: ${(err as Error).message}`;
        },
      );
    }
  };
  // The board takes the rest of the window below it.
  const fitHeight = () => {
    if (!panel.hidden) panel.style.height = `${Math.max(320, window.innerHeight - panel.getBoundingClientRect().top - 8)}px`;
  };
  window.addEventListener('resize', fitHeight);
  notesTab.addEventListener('click', () => show('notes'));
  boardTab.addEventListener('click', () => show('board'));
  if (location.hash === '#board') show('board');
  return {
    current: () => current,
    onSwitch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setHistoryOpen(open) {
      historyOpen = open;
      show(current);
    },
  };
}
