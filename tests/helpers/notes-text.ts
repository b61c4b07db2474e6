/**
 * Plain text in a pad's notes, for tests and benchmarks that type without an editor. A pad only
 * takes writes to its own top-level types (common/pad-schema.ts), so text goes where the
 * editor's would: into the notes (`default`), one paragraph. Every client creates that
 * paragraph with the same update (client id 1, clock 0 and 1), which Yjs applies once however
 * many send it, so concurrent writers share one paragraph.
 */
import * as Y from 'yjs';
import { CONTENT_FIELD } from '../../common/pad-schema.js';

/** The client id of the shared paragraph's structs. */
export const NOTES_CLIENT = 1;
/** The id of the paragraph's text (the struct after the paragraph's). */
export const NOTES_TEXT_ID = { client: NOTES_CLIENT, clock: 1 } as const;

let skeleton: Uint8Array | null = null;

/** The update that creates the shared paragraph. */
export function notesSkeleton(): Uint8Array {
  if (skeleton) return skeleton;
  const doc = new Y.Doc();
  doc.clientID = NOTES_CLIENT;
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText()]);
  doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph]);
  skeleton = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return skeleton;
}

/** The shared paragraph's text in `doc`, created (with the shared update) if it is not there yet. */
export function notesText(doc: Y.Doc): Y.XmlText {
  const fragment = doc.getXmlFragment(CONTENT_FIELD);
  if (fragment.length === 0) Y.applyUpdate(doc, notesSkeleton());
  const paragraph = fragment.get(0);
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
  if (!(text instanceof Y.XmlText)) throw new RangeError('the notes do not start with a paragraph of text');
  return text;
}

/** The text of the shared paragraph in `doc` ('' when there is none). */
export function readNotesText(doc: Y.Doc): string {
  const paragraph = doc.getXmlFragment(CONTENT_FIELD).get(0);
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
  return text instanceof Y.XmlText ? text.toString() : '';
}

/** The live items of the shared paragraph's text, in order (for clients that track ids, not a doc). */
export function readNotesTextItems(doc: Y.Doc): Y.Item[] {
  const paragraph = doc.getXmlFragment(CONTENT_FIELD).get(0);
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
  const items: Y.Item[] = [];
  if (!(text instanceof Y.XmlText)) return items;
  for (let item = text._start; item; item = item.right) if (!item.deleted && item.countable) items.push(item);
  return items;
}

/** An update holding the shared paragraph with `text` in it, typed by `clientID`: a pad's starting content. */
export function notesSeed(text: string, clientID = 2): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  notesText(doc).insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/**
 * A large pad for floods and budgets: about `structs` structs in the notes' paragraph, typed by
 * `authors` clients at places `random` picks, a tenth of the edits deletions.
 */
export function typedNotesPad(structs: number, authors: number, random: () => number): Y.Doc {
  const doc = new Y.Doc();
  const text = notesText(doc);
  for (let i = 0; i < structs; i += 1) {
    doc.clientID = 1000 + Math.floor(random() * authors);
    if (text.length > 10 && random() < 0.1) text.delete(Math.floor(random() * (text.length - 2)), 1);
    else text.insert(Math.floor(random() * (text.length + 1)), 'ab');
  }
  return doc;
}
