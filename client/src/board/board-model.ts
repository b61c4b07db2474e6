/**
 * The board's Yjs binding: create, change and delete shapes in the pad's Y.Doc (`board`, see
 * common/board/board-doc.ts), z-order by fractional index, and an undo manager that tracks only
 * this client's own board changes. DOM-free, so it runs in tests as it runs in the page.
 *
 * Every write is one Y transaction tagged with `origin`; a gesture (a drag, a stroke, an erase
 * sweep) may be several transactions while it runs, and `endGesture()` closes it as one undo
 * step.
 */
import * as Y from 'yjs';
import { boardMap, compareZ, readShape, type BoardShape, type ShapeType } from '../../../common/board/board-doc.js';
import { arrowEnds } from '../../../common/board/board-geometry.js';
import { keyBetween } from '../../../common/board/fractional-index.js';

/** Properties a caller may set; `text` is the initial text of a new shape only. */
export type ShapePatch = Partial<Omit<BoardShape, 'id' | 'type' | 'text' | 'z'>>;
export type NewShape = ShapePatch & { type: ShapeType; text?: string };

/** The tagged origin of this client's board transactions. */
export interface BoardOrigin {
  source: 'board';
  clientId: number;
}

const TEXT_SHAPES: ReadonlySet<ShapeType> = new Set(['sticky', 'text', 'rect', 'ellipse']);

function randomId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
}

export class BoardModel {
  readonly map: Y.Map<Y.Map<unknown>>;
  readonly origin: BoardOrigin;
  readonly undoManager: Y.UndoManager;
  private topZ: string | null = null;

  constructor(readonly doc: Y.Doc) {
    this.map = boardMap(doc);
    this.origin = { source: 'board', clientId: doc.clientID };
    this.undoManager = new Y.UndoManager(this.map, { trackedOrigins: new Set([this.origin]), captureTimeout: 600 });
  }

  /** A snapshot of one shape, or null when there is none (or it is malformed). */
  get(id: string): BoardShape | null {
    return readShape(id, this.map.get(id));
  }

  /** Nothing is on the board (malformed entries count as something: they are not ours to judge here). */
  get isEmpty(): boolean {
    return this.map.size === 0;
  }

  /** Every shape, bottom to top. */
  all(): BoardShape[] {
    const shapes: BoardShape[] = [];
    this.map.forEach((value, id) => {
      const shape = readShape(id, value);
      if (shape) shapes.push(shape);
    });
    return shapes.sort(compareZ);
  }

  /** The live text of a shape that has one. */
  text(id: string): Y.Text | null {
    const value = this.map.get(id)?.get('text');
    return value instanceof Y.Text ? value : null;
  }

  /** Adds a shape on top of the others; returns its id. */
  create(shape: NewShape): string {
    const id = randomId();
    this.transact(() => {
      const entry = new Y.Map<unknown>();
      for (const [key, value] of Object.entries(shape)) {
        if (key !== 'text' && value !== undefined) entry.set(key, value);
      }
      if (TEXT_SHAPES.has(shape.type)) {
        const text = new Y.Text();
        if (shape.text) text.insert(0, shape.text);
        entry.set('text', text);
      }
      entry.set('z', this.nextTopZ());
      this.map.set(id, entry);
    });
    return id;
  }

  /** Sets only the properties that differ, so concurrent changes to other keys survive. */
  update(id: string, patch: ShapePatch): void {
    this.updateMany([[id, patch]]);
  }

  /** Several shapes' changes as one transaction. */
  updateMany(patches: Iterable<[string, ShapePatch]>): void {
    this.transact(() => {
      for (const [id, patch] of patches) {
        const entry = this.map.get(id);
        if (!(entry instanceof Y.Map)) continue;
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined) continue;
          const old = entry.get(key);
          if (Array.isArray(value) || old !== value) entry.set(key, value);
        }
      }
    });
  }

  /** Deletes shapes, and unbinds arrows that pointed at them (keeping the end where it was). */
  remove(ids: Iterable<string>): void {
    const gone = new Set(ids);
    if (gone.size === 0) return;
    this.transact(() => {
      for (const shape of this.all()) {
        if (shape.type !== 'arrow' || gone.has(shape.id)) continue;
        const entry = this.map.get(shape.id);
        if (!entry) continue;
        if (gone.has(shape.from) || gone.has(shape.to)) {
          const [a, b] = this.arrowEndsNow(shape);
          if (gone.has(shape.from))
            for (const [k, v] of [
              ['from', ''],
              ['x1', a.x],
              ['y1', a.y],
            ] as const)
              entry.set(k, v);
          if (gone.has(shape.to))
            for (const [k, v] of [
              ['to', ''],
              ['x2', b.x],
              ['y2', b.y],
            ] as const)
              entry.set(k, v);
        }
      }
      for (const id of gone) this.map.delete(id);
    });
  }

  /** Moves shapes above every other shape, keeping their order among themselves. */
  bringToFront(ids: Iterable<string>): void {
    const wanted = new Set(ids);
    const shapes = this.all().filter((s) => wanted.has(s.id));
    if (shapes.length === 0) return;
    this.transact(() => {
      for (const shape of shapes) this.map.get(shape.id)?.set('z', this.nextTopZ());
    });
  }

  /** Closes the current gesture: the next change starts a new undo step. */
  endGesture(): void {
    this.undoManager.stopCapturing();
  }

  undo(): void {
    this.undoManager.undo();
  }

  redo(): void {
    this.undoManager.redo();
  }

  /**
   * Calls `listener` after each transaction with the ids of the shapes it touched (added,
   * changed, deleted, text edited), and whether it was this client's own. Returns an unsubscribe.
   */
  observe(listener: (ids: Set<string>, local: boolean) => void): () => void {
    const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction) => {
      const ids = new Set<string>();
      for (const event of events) {
        const first = event.path[0];
        if (typeof first === 'string') ids.add(first);
        else if (event instanceof Y.YMapEvent) for (const key of event.keysChanged) ids.add(key as string);
      }
      if (ids.size > 0) listener(ids, txn.origin === this.origin);
    };
    this.map.observeDeep(handler);
    return () => this.map.unobserveDeep(handler);
  }

  /** Runs `fn` as one transaction with this client's board origin (nested calls join it). */
  transact(fn: () => void): void {
    this.doc.transact(fn, this.origin);
  }

  destroy(): void {
    this.undoManager.destroy();
  }

  private nextTopZ(): string {
    let top: string | null = this.topZ;
    this.map.forEach((entry) => {
      const z = entry instanceof Y.Map ? entry.get('z') : undefined;
      if (typeof z === 'string' && (top === null || z > top)) top = z;
    });
    let key: string;
    try {
      key = keyBetween(top, null);
    } catch {
      key = keyBetween(null, null);
    }
    this.topZ = key;
    return key;
  }

  private arrowEndsNow(arrow: BoardShape) {
    return arrowEnds(arrow, (id) => this.get(id));
  }
}
