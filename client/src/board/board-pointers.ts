/**
 * Other people on the board: their pointers with names and their selections, from awareness.
 * This client publishes its own as the awareness field `board: { x, y, selection }` (world
 * units; x and y null when the pointer is off the board), next to `user: { name, color }`.
 * Sends are throttled to one every 50 ms.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { Point } from '../../../common/board/board-geometry.js';
import type { BoardRenderer } from './board-renderer.js';
import type { OtherSelection, SelectionLayer } from './selection-layer.js';

export interface BoardPresence {
  x: number | null;
  y: number | null;
  selection: string[];
}

const SEND_EVERY_MS = 50;
const MAX_SELECTION = 200;

interface Remote {
  name: string;
  color: string;
  board: BoardPresence;
}

function readRemote(state: Record<string, unknown>): Remote | null {
  const board = state.board as Partial<BoardPresence> | undefined;
  const user = state.user as { name?: unknown; color?: unknown } | undefined;
  if (!board || typeof board !== 'object') return null;
  const coord = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    name: typeof user?.name === 'string' ? user.name.slice(0, 40) : 'Someone',
    color: typeof user?.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#868e96',
    board: {
      x: coord(board.x),
      y: coord(board.y),
      selection: Array.isArray(board.selection)
        ? board.selection.filter((s): s is string => typeof s === 'string').slice(0, MAX_SELECTION)
        : [],
    },
  };
}

export class BoardPointers {
  readonly layer = document.createElement('div');
  private local: BoardPresence = { x: null, y: null, selection: [] };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSent = 0;
  private readonly cursors = new Map<number, HTMLElement>();

  constructor(
    private readonly awareness: Awareness,
    private readonly renderer: BoardRenderer,
    private readonly selections: SelectionLayer,
  ) {
    this.layer.className = 'board-pointers';
    this.layer.setAttribute('aria-hidden', 'true');
    renderer.host.append(this.layer);
    awareness.on('change', this.onChange);
    renderer.onViewport(() => this.draw());
    this.draw();
  }

  setPointer(p: Point | null): void {
    this.local = { ...this.local, x: p ? Math.round(p.x) : null, y: p ? Math.round(p.y) : null };
    this.schedule();
  }

  setSelection(ids: string[]): void {
    this.local = { ...this.local, selection: ids.slice(0, MAX_SELECTION) };
    this.schedule();
  }

  destroy(): void {
    this.awareness.off('change', this.onChange);
    if (this.timer) clearTimeout(this.timer);
    this.awareness.setLocalStateField('board', null);
    this.layer.remove();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + SEND_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastSent = Date.now();
      this.awareness.setLocalStateField('board', this.local);
    }, wait);
  }

  private readonly onChange = (): void => this.draw();

  /** Draws every other client's pointer and selection. */
  draw(): void {
    const seen = new Set<number>();
    const selections: OtherSelection[] = [];
    this.awareness.getStates().forEach((state, clientId) => {
      if (clientId === this.awareness.clientID) return;
      const remote = readRemote(state);
      if (!remote) return;
      if (remote.board.selection.length) selections.push({ clientId, color: remote.color, ids: remote.board.selection });
      if (remote.board.x === null || remote.board.y === null) return;
      seen.add(clientId);
      let cursor = this.cursors.get(clientId);
      if (!cursor) {
        cursor = document.createElement('div');
        cursor.className = 'board-pointer';
        cursor.innerHTML =
          '<svg width="16" height="20" viewBox="0 0 16 20"><path d="M1 1 L1 16 L5 12 L8 19 L11 18 L8 11 L14 11 Z" stroke="#fff" stroke-width="1.2"/></svg><span class="board-pointer__name"></span>';
        this.cursors.set(clientId, cursor);
        this.layer.append(cursor);
      }
      cursor.querySelector('path')?.setAttribute('fill', remote.color);
      const name = cursor.querySelector<HTMLElement>('.board-pointer__name');
      if (name) {
        name.textContent = remote.name;
        name.style.background = remote.color;
      }
      const at = this.renderer.toScreen({ x: remote.board.x, y: remote.board.y });
      cursor.style.transform = `translate(${at.x}px, ${at.y}px)`;
    });
    for (const [clientId, cursor] of this.cursors) {
      if (!seen.has(clientId)) {
        cursor.remove();
        this.cursors.delete(clientId);
      }
    }
    this.selections.showOthers(selections);
  }
}
