/**
 * A load author's view of its pad's text, without a Y.Doc: the ids of the characters in order,
 * as runs (client, first clock, length), and the Yjs update (v1) for inserting at a position,
 * byte for byte what Y.XmlText would send. The text is the notes' shared paragraph
 * (tests/helpers/notes-text.ts), which the pad must have: its update is `notesSkeleton()`. At 2,000 pads a Y.Doc per author made Yjs a fifth of
 * the generator's core (finding the position, transactions, encoding) and a fifth more in GC.
 * Authors only insert, so a character's neighbours are all an insert needs.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { NOTES_TEXT_ID, readNotesTextItems } from '../../tests/helpers/notes-text.js';

interface Run {
  client: number;
  clock: number;
  length: number;
}

/** Yjs's content ref for a string, and the info bits for "has origin" and "has right origin". */
const CONTENT_STRING = 4;
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;

export class TextRuns {
  private readonly runs: Run[] = [];
  private clock = 0;
  length = 0;

  /** `seed` (an update holding the notes' shared paragraph and its text) is what the pad starts from. */
  constructor(
    readonly client: number,
    seed: Uint8Array | null,
  ) {
    if (!seed) return;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, seed);
    for (const item of readNotesTextItems(doc)) {
      this.runs.push({ client: item.id.client, clock: item.id.clock, length: item.length });
      this.length += item.length;
    }
    doc.destroy();
  }

  /** This client's next clock (what `Y.getState` would answer). */
  get nextClock(): number {
    return this.clock;
  }

  /** Inserts `text` at `index` and returns the update that carries it. */
  insert(index: number, text: string): Uint8Array {
    if (index < 0 || index > this.length) throw new RangeError(`no position ${index} in ${this.length}`);
    // One walk finds both neighbours and where the new run goes.
    const { i, offset } = this.locate(index);
    const at = this.runs[i];
    const before = offset > 0 ? at : this.runs[i - 1];
    const origin = before && { client: before.client, clock: before.clock + (offset > 0 ? offset : before.length) - 1 };
    const right = at && { client: at.client, clock: at.clock + offset };
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1); // clients with structs
    encoding.writeVarUint(encoder, 1); // structs of this client
    encoding.writeVarUint(encoder, this.client);
    encoding.writeVarUint(encoder, this.clock);
    encoding.writeUint8(encoder, CONTENT_STRING | (origin ? HAS_ORIGIN : 0) | (right ? HAS_RIGHT_ORIGIN : 0));
    if (origin) {
      encoding.writeVarUint(encoder, origin.client);
      encoding.writeVarUint(encoder, origin.clock);
    }
    if (right) {
      encoding.writeVarUint(encoder, right.client);
      encoding.writeVarUint(encoder, right.clock);
    }
    if (!origin && !right) {
      encoding.writeVarUint(encoder, 0); // the parent is a nested type, by its id
      encoding.writeVarUint(encoder, NOTES_TEXT_ID.client);
      encoding.writeVarUint(encoder, NOTES_TEXT_ID.clock);
    }
    encoding.writeVarString(encoder, text);
    encoding.writeVarUint(encoder, 0); // empty delete set
    this.place(i, offset, { client: this.client, clock: this.clock, length: text.length });
    this.clock += text.length;
    this.length += text.length;
    return encoding.toUint8Array(encoder);
  }

  /** The run holding the character at `index` and the offset in it (past the last run: the end). */
  private locate(index: number): { i: number; offset: number } {
    let at = 0;
    for (let i = 0; i < this.runs.length; i += 1) {
      if (index < at + this.runs[i].length) return { i, offset: index - at };
      at += this.runs[i].length;
    }
    return { i: this.runs.length, offset: 0 };
  }

  /** Puts `run` before the character at `offset` in run `i`, splitting that run. */
  private place(i: number, offset: number, run: Run): void {
    const current = this.runs[i];
    if (offset > 0) {
      const tail = { client: current.client, clock: current.clock + offset, length: current.length - offset };
      current.length = offset;
      this.runs.splice(i + 1, 0, run, tail);
      return;
    }
    // At the end: extend this client's last run when it continues it, as Yjs merges them.
    const last = this.runs[i - 1];
    if (!current && last && last.client === run.client && last.clock + last.length === run.clock) last.length += run.length;
    else this.runs.splice(i, 0, run);
  }
}
