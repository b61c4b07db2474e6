/**
 * Worker thread body for HistoryWorker: the heavy part of history views, off the event loop.
 * It rebuilds documents from keyframes and log rows, turns them into text or ProseMirror JSON,
 * diffs texts and walks authorship. On a pad of thousands of revisions one diff rebuilt two
 * whole documents on the loop, and a few dozen at once stopped the server (docs/architecture.md,
 * History).
 */
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../thread-priority.js';

/** Bytes that rebuild a document: an optional full state, then updates packed end to end. */
export interface DocSource {
  base: Uint8Array | null;
  updates: Uint8Array;
  lengths: Uint32Array;
}

export type HistoryTask =
  /**
   * Text of `before`, then of `after` (applied on top of `before`, or to a fresh doc), diffed:
   * the JSON body `{...envelope, changes, blocks}`.
   */
  | { kind: 'diff'; before: DocSource; after: DocSource; afterOnTop: boolean; reverse: boolean; envelope: Record<string, unknown> }
  /** Who wrote each span of the text: the JSON body `{spans, ...envelope}`. */
  | { kind: 'authorship'; source: DocSource; clients: [number, string][]; envelope: Record<string, unknown> }
  /** ProseMirror JSON read straight from Yjs (fast, unchecked: the timeslider's render data), as a JSON body. */
  | { kind: 'json'; source: DocSource }
  /** ProseMirror JSON of the node built through the pad schema (checked: safe to `nodeFromJSON`). */
  | { kind: 'node'; source: DocSource };

export type HistoryRequest = HistoryTask & { id: number };
/** `body`: the task's result as UTF-8 JSON. */
export type HistoryResponse = { id: number; ok: true; body: Uint8Array } | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new TypeError('history-work must run in a worker thread');
lowerThreadPriority();

// Loaded after the priority is lowered; requests wait in the port until the listener is on.
const Y = await import('yjs');
const { applyAccepted } = await import('../sync/update-guard.js');
const { docJson, docNode, nodeText } = await import('./revision-content.js');
const { diffBlocks, diffText } = await import('./text-diff.js');
const { authorSpans } = await import('./authorship.js');

// Bodies are serialized here too: forty answers of a large pad, serialized on the loop, were
// most of what still stalled it once the rebuilding had moved here.
const utf8 = new TextEncoder();

port.on('message', (req: HistoryRequest) => {
  let res: HistoryResponse;
  try {
    const result = run(req);
    res = { id: req.id, ok: true, body: utf8.encode(JSON.stringify(result)) };
  } catch (err) {
    res = { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(res, res.ok ? [res.body.buffer as ArrayBuffer] : []);
});

function run(task: HistoryTask): unknown {
  switch (task.kind) {
    case 'diff': {
      const doc = new Y.Doc();
      const other = task.afterOnTop ? doc : new Y.Doc();
      try {
        apply(doc, task.before);
        const before = nodeText(docNode(doc));
        apply(other, task.after);
        const after = nodeText(docNode(other));
        const [a, b] = task.reverse ? [after, before] : [before, after];
        const blocks = diffBlocks(a, b);
        return { ...task.envelope, changes: diffText(a, b, blocks), blocks };
      } finally {
        doc.destroy();
        other.destroy();
      }
    }
    case 'authorship':
      return { spans: withDoc(task.source, (doc) => authorSpans(doc.getXmlFragment('default'), new Map(task.clients))), ...task.envelope };
    case 'json':
      return withDoc(task.source, (doc) => docJson(doc));
    case 'node':
      return withDoc(task.source, (doc) => docNode(doc).toJSON());
  }
}

function withDoc<T>(source: DocSource, fn: (doc: InstanceType<typeof Y.Doc>) => T): T {
  const doc = new Y.Doc();
  try {
    apply(doc, source);
    return fn(doc);
  } finally {
    doc.destroy();
  }
}

function apply(doc: InstanceType<typeof Y.Doc>, { base, updates, lengths }: DocSource): void {
  Y.transact(doc, () => {
    if (base) Y.applyUpdate(doc, base);
    let offset = 0;
    for (const length of lengths) {
      // As the indexer does (loadInto): an update Yjs fails on midway keeps what it applied.
      applyAccepted(doc, updates.subarray(offset, offset + length));
      offset += length;
    }
  });
}
