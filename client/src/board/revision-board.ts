/**
 * The board as of a past revision, for the timeslider: the shapes (from
 * `GET /api/v1/pads/<padId>/revisions/<rev>/board.json`) written into a Y.Doc of its own and
 * drawn by the normal board, read-only. Moving to another revision rewrites only the shapes that
 * differ, so the view (pan, zoom) stays where the reader left it. Nothing here touches the pad's
 * live Y.Doc or connection.
 */
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { boardMap, type BoardShape } from '../../../common/board/board-doc.js';
import { mountBoard, type BoardHandle } from './board-view.js';

export interface RevisionBoard {
  /** Shows these shapes (bottom to top, as the API returns them). */
  show(shapes: readonly BoardShape[]): void;
  /** Call when the host becomes visible (fits the board the first time). */
  shown(): void;
  destroy(): void;
}

/** Transactions that load a revision's shapes carry this origin. */
const HISTORY_ORIGIN = { source: 'history' } as const;

export function mountRevisionBoard(host: HTMLElement, name: string): RevisionBoard {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalState(null);
  const map = boardMap(doc);
  /** Shape id -> the JSON last written for it. */
  const written = new Map<string, string>();
  const board: BoardHandle = mountBoard({
    host,
    doc,
    awareness,
    name,
    readOnly: true,
    isActive: () => host.isConnected && !host.hidden && host.offsetParent !== null,
  });
  host.classList.add('revision-board');

  return {
    show(shapes) {
      doc.transact(() => {
        const ids = new Set<string>();
        for (const shape of shapes) {
          ids.add(shape.id);
          const json = JSON.stringify(shape);
          if (written.get(shape.id) === json) continue;
          written.set(shape.id, json);
          const entry = new Y.Map<unknown>();
          for (const [key, value] of Object.entries(shape)) {
            if (key === 'id') continue;
            entry.set(key, key === 'text' ? new Y.Text(value as string) : value);
          }
          map.set(shape.id, entry);
        }
        for (const id of Array.from(written.keys())) {
          if (ids.has(id)) continue;
          written.delete(id);
          map.delete(id);
        }
      }, HISTORY_ORIGIN);
    },
    shown: () => board.shown(),
    destroy() {
      board.destroy();
      awareness.destroy();
      doc.destroy();
    },
  };
}
