/**
 * What the event page shows of a pad besides its title: its first heading (the name to show
 * when nobody gave it a title) and whether anything is written in it (a pad someone only
 * opened has commits but no content, and is not "edited"). Read from the pad's document and
 * kept per pad until its last edit time changes, so the event page's once-a-second refresh
 * reads only the pads that changed, and those are in memory while people type in them.
 *
 * A pad that is not in memory is read in the background, one at a time with a pause between,
 * and the answer until then is what was known before (or "written, no heading"): an event page
 * after a restart does not wait for every pad to load (loading a pad never yields to the loop),
 * and its live feed pushes the names once they are read.
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
/** Pause before each background read of a pad, ms: keeps the reads to a small share of the loop. */
const READ_PAUSE_MS = 20;

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
    .map((c) =>
      c instanceof Y.XmlText
        ? (c.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')
        : ' ',
    )
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The answer for a pad not read yet: most pads with edits have text, few have headings. */
const PROVISIONAL: PadOutline = { heading: null, written: true };

export class PadOutlines {
  private readonly kept = new Map<string, { updatedAt: number; outline: PadOutline }>();
  private readonly toRead = new Map<string, number>();
  private reading = false;

  constructor(private readonly docs: DocSource) {}

  /** The outline of `padId` as of its last edit at `updatedAt` (null: never written). */
  get(padId: string, updatedAt: number | null): PadOutline {
    if (updatedAt === null) return NOTHING;
    const known = this.kept.get(padId);
    if (known && known.updatedAt === updatedAt) {
      this.keep(padId, known);
      return known.outline;
    }
    const room = this.docs.peek(padId);
    if (room && !room.isClosed) {
      const outline = docOutline(room.currentDoc());
      this.keep(padId, { updatedAt, outline });
      return outline;
    }
    this.toRead.set(padId, updatedAt);
    void this.readQueued();
    return known?.outline ?? PROVISIONAL;
  }

  /** Forgets a pad (deleted). */
  forget(padId: string): void {
    this.kept.delete(padId);
    this.toRead.delete(padId);
  }

  private keep(padId: string, entry: { updatedAt: number; outline: PadOutline }): void {
    this.kept.delete(padId);
    this.kept.set(padId, entry);
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value as string);
  }

  /** Reads the queued pads one at a time; failures leave the pad as it was (asked again later). */
  private async readQueued(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      for (let next = this.toRead.entries().next(); !next.done; next = this.toRead.entries().next()) {
        // A pause first: loading a pad from SQLite never waits on I/O, so without it the whole
        // queue would run before the request that filled it is answered, and live pads would wait.
        await new Promise((resolve) => setTimeout(resolve, READ_PAUSE_MS));
        const [padId, updatedAt] = next.value;
        this.toRead.delete(padId);
        const outline = await this.docs.use(padId, (r) => docOutline(r.currentDoc())).catch(() => null);
        if (outline) this.keep(padId, { updatedAt, outline });
      }
    } finally {
      this.reading = false;
    }
  }
}
