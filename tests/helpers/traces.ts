/**
 * The recorded editing traces in ../shared/data/traces (CC BY 4.0, see its README), and a
 * writer that types a trace's patches into a pad-shaped Y.Doc: one paragraph in the
 * XmlFragment 'default' whose Y.XmlText receives each patch as delete + insert.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';

export const TRACES_DIR = process.env.TRACES_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'traces');

export type Patch = [pos: number, del: number, insert: string];

export interface SequentialTrace {
  startContent: string;
  endContent: string;
  txns: { time?: string; timestamp?: string; patches: Patch[] }[];
}

export interface ConcurrentTrace {
  kind: 'concurrent';
  endContent: string;
  numAgents: number;
  txns: { agent: number; parents: number[]; time: string; patches: Patch[] }[];
}

export function loadTrace<T = SequentialTrace>(name: string): T {
  return JSON.parse(gunzipSync(readFileSync(join(TRACES_DIR, `${name}.json.gz`))).toString('utf8')) as T;
}

/** The paragraph's text of a pad doc (created on first use). */
export function padText(doc: Y.Doc): Y.XmlText {
  const fragment = doc.getXmlFragment('default');
  const first = fragment.get(0);
  if (first instanceof Y.XmlElement) return first.get(0) as Y.XmlText;
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  fragment.insert(0, [paragraph]);
  return text;
}

/** Applies patches (positions in code points; the traces used here are BMP-only) in one transaction. */
export function applyPatches(doc: Y.Doc, patches: readonly Patch[]): void {
  doc.transact(() => {
    const text = padText(doc);
    for (const [pos, del, insert] of patches) {
      if (del > 0) text.delete(pos, del);
      if (insert) text.insert(pos, insert);
    }
  });
}

/** True if `s` has characters outside the BMP (where code points and UTF-16 units differ). */
export const hasAstral = (s: string): boolean => /[\uD800-\uDBFF]/.test(s);
