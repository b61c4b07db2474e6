/**
 * Worker thread body for MarkdownImporter: everything an import costs, off the event loop that
 * serves live pads. Markdown (or plain text) is parsed, built into a node of the pad schema and
 * checked, counted, and turned into the one Yjs update that makes the pad's current content
 * (`state`) equal to it. While only the parse ran here, building the result of a hostile table
 * or setext flood still stalled the loop (docs/benchmarks.md, Markdown and recaps).
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { replacementUpdate } from '../../common/markdown/pad-content.js';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import { plainTextDoc } from './plain-text-doc.js';

export interface ImportRequest {
  id: number;
  source: { markdown: string } | { text: string };
  /** The pad's current document (Y.encodeStateAsUpdate). */
  state: Uint8Array;
  /** Larger updates are refused (`tooLarge`): what the pad may still grow by. */
  maxUpdateBytes: number;
  /** More nodes (blocks, list items, table rows and cells, ...) are refused (`tooComplex`). */
  maxNodes: number;
}

export type ImportRefusal = 'tooComplex' | 'doesNotFit' | 'tooLarge';

/** Sent once, when the worker has loaded what it needs. */
export const READY = 'ready';

export type ImportResponse =
  /** `update` null: the content is already what was imported. */
  | { id: number; ok: true; update: Uint8Array | null }
  | { id: number; ok: false; refusal: ImportRefusal; message: string }
  /** Parsed: what is left (check, count, Yjs update) is linear in the bounded node count. */
  | { id: number; parsed: true };

const port = parentPort;
if (!port) throw new TypeError('import-worker must run in a worker thread');
// Normal priority, unlike the history worker: an import's time limit is wall-clock time, and at
// the lowest priority on a busy machine ordinary imports ran out of it.
const md = padMarkdown();

port.on('message', (req: ImportRequest) => {
  const res = respond(req);
  port.postMessage(res, res.ok && res.update ? [res.update.buffer as ArrayBuffer] : []);
});
// Loading the editor schema takes a while: imports get their time limit once it is done.
port.postMessage(READY);

type ImportResult = Exclude<ImportResponse, { parsed: true }>;

function respond(req: ImportRequest): ImportResult {
  const refuse = (refusal: ImportRefusal, message: string): ImportResult => ({ id: req.id, ok: false, refusal, message });
  let json;
  try {
    json = 'markdown' in req.source ? md.parseToJSON(req.source.markdown) : plainTextDoc(req.source.text);
  } catch (err) {
    return refuse('tooComplex', `This markdown could not be read (${message(err)}).`);
  }
  port!.postMessage({ id: req.id, parsed: true } satisfies ImportResponse);
  let node;
  try {
    node = md.schema.nodeFromJSON(json);
    node.check();
  } catch (err) {
    return refuse('doesNotFit', `This content does not fit a pad: ${message(err)}`);
  }
  let nodes = 0;
  node.descendants((child) => {
    if (!child.isText) nodes += 1;
    return nodes <= req.maxNodes;
  });
  if (nodes > req.maxNodes) {
    return refuse(
      'tooComplex',
      `This content has more than ${req.maxNodes} blocks, list items and table cells, the most one pad may hold; split it over several pads.`,
    );
  }
  const doc = new Y.Doc({ gc: true });
  try {
    Y.applyUpdate(doc, req.state);
    const update = replacementUpdate(doc, node);
    if (update && update.byteLength > req.maxUpdateBytes) {
      return refuse(
        'tooLarge',
        `This content would make the pad larger than it may be (${megabytes(update.byteLength)} MB more, ${megabytes(req.maxUpdateBytes)} MB left); split it over several pads.`,
      );
    }
    return { id: req.id, ok: true, update };
  } finally {
    doc.destroy();
  }
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
