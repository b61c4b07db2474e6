/**
 * What the event page shows of a pad besides its title: its first heading (the name to show
 * when nobody gave it a title) and whether anything is written in it (a pad someone only
 * opened has commits but no content, and is not "edited"). Read from the pad's document and
 * kept per pad until its last edit time changes, so the event page's once-a-second refresh
 * reads only the pads that changed, and those are in memory while people type in them.
 */
import * as Y from 'yjs';
import { CONTENT_FIELD } from '../../common/markdown/pad-content.js';
import type { DocSource } from '../search/indexer.js';

export interface PadOutline {
  /** Text of the first heading, or null. */
  heading: string | null;
  /** Some text is written in the pad's notes. */
  written: boolean;
}

/** Longest heading kept, in UTF-16 units. */
const MAX_HEADING = 200;
/** Pads whose outline is kept; the least recently read go first. */
const MAX_KEPT = 10_000;
const NOTHING: PadOutline = { heading: null, written: false };

/** The outline of a pad's notes; stops reading once it has both answers. */
export function docOutline(doc: Y.Doc): PadOutline {
  let heading: string | null = null;
  let written = false;
  const walk = (parent: Y.XmlFragment | Y.XmlElement): boolean => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) {
        if (!written && child.length > 0 && child.toString().trim() !== '') written = true;
      } else if (child instanceof Y.XmlElement) {
        if (heading === null && child.nodeName === 'heading') {
          const text = headingText(child);
          if (text) heading = text.slice(0, MAX_HEADING);
        }
        if (walk(child)) return true;
      }
      if (written && heading !== null) return true;
    }
    return false;
  };
  walk(doc.getXmlFragment(CONTENT_FIELD));
  return { heading, written };
}

function headingText(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((c) => (c instanceof Y.XmlText ? (c.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('') : ' '))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

export class PadOutlines {
  private readonly kept = new Map<string, { updatedAt: number; outline: PadOutline }>();

  constructor(private readonly docs: DocSource) {}

  /** The outline of `padId` as of its last edit at `updatedAt` (null: never written). */
  async get(padId: string, updatedAt: number | null): Promise<PadOutline> {
    if (updatedAt === null) return NOTHING;
    const known = this.kept.get(padId);
    if (known && known.updatedAt === updatedAt) {
      this.kept.delete(padId);
      this.kept.set(padId, known);
      return known.outline;
    }
    const room = this.docs.peek(padId);
    const outline = room && !room.isClosed ? docOutline(room.doc) : await this.docs.use(padId, (r) => docOutline(r.doc));
    this.kept.delete(padId);
    this.kept.set(padId, { updatedAt, outline });
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value as string);
    return outline;
  }

  /** Forgets a pad (deleted). */
  forget(padId: string): void {
    this.kept.delete(padId);
  }
}
