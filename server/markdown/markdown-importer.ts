/**
 * Computes imports in a worker thread with a time, memory and queue limit (import-worker.ts):
 * parsing, the schema check and the Yjs update all run there. marked, under MarkdownManager, is
 * quadratic on some inputs (thousands of `_a` or `[a](` in one paragraph) and overflows its
 * stack on deep nesting, and a hostile table or setext flood builds a huge document: such input
 * is refused (MarkdownTooComplex, 422; ImportTooLarge, 413) instead of blocking the server. One
 * import runs at a time, at most `maxWaiting` wait (then ImporterBusy, 503); the worker is
 * replaced after a timeout or a crash.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread.js';
import type { ImportRequest, ImportResponse } from './import-worker.js';

/** The worker's first message (import-worker.ts `READY`; not imported: that module is the worker body). */
const READY = 'ready';

export class MarkdownTooComplex extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MarkdownTooComplex';
  }
}

/** The import would make the pad larger than MAX_PAD_BYTES. */
export class ImportTooLarge extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportTooLarge';
  }
}

/** Too many imports are waiting already. */
export class ImporterBusy extends Error {
  constructor() {
    super('The server is busy with other imports; try again in a few seconds.');
    this.name = 'ImporterBusy';
  }
}

export interface MarkdownImporterOptions {
  /** Longest the parse of an import may take, ms (default 3000): marked is quadratic on some input. */
  timeoutMs?: number;
  /** Longest the rest may take (schema check, Yjs update; linear in the capped node count), ms (default 15 s). */
  buildTimeoutMs?: number;
  /** Heap limit of the worker, MiB (default 512). */
  maxHeapMb?: number;
  /** Imports that may wait for the worker (default 8). */
  maxWaiting?: number;
  /** Most nodes (blocks, list items, table rows and cells) one imported document may have (default 20,000). */
  maxNodes?: number;
}

export interface ImportInput {
  source: { markdown: string } | { text: string };
  /** The pad's current document, read when the import's turn comes (Y.encodeStateAsUpdate). */
  state: () => Promise<Uint8Array>;
  /** What the pad may still grow by, bytes. */
  maxUpdateBytes: number;
}

export class MarkdownImporter {
  /** The worker, once it has loaded what it needs. */
  private worker: Promise<Worker> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private nextId = 1;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly buildTimeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly maxWaiting: number;
  private readonly maxNodes: number;

  constructor(options: MarkdownImporterOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.buildTimeoutMs = options.buildTimeoutMs ?? 15_000;
    this.maxHeapMb = options.maxHeapMb ?? 512;
    this.maxWaiting = options.maxWaiting ?? 8;
    this.maxNodes = options.maxNodes ?? 20_000;
  }

  /**
   * The Yjs update that makes the pad's content what `input.source` says (null if it already
   * is). Rejects with MarkdownTooComplex, ImportTooLarge or ImporterBusy.
   */
  replacement(input: ImportInput): Promise<Uint8Array | null> {
    if ('markdown' in input.source) {
      const tooDeep = nestingProblem(input.source.markdown);
      if (tooDeep) return Promise.reject(new MarkdownTooComplex(tooDeep));
    }
    if (this.waiting >= this.maxWaiting) return Promise.reject(new ImporterBusy());
    this.waiting += 1;
    const run = this.queue.then(async () => {
      this.waiting -= 1;
      return this.run(input.source, await input.state(), input.maxUpdateBytes);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await (await worker.catch(() => null))?.terminate();
  }

  /** A new worker, once it says it is ready; rejects if it fails to start. */
  private spawn(): Promise<Worker> {
    if (this.closed) return Promise.reject(new RangeError('MarkdownImporter is closed'));
    const worker = startWorker(import.meta.url, 'import-worker', {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, stackSizeMb: 8 },
    });
    worker.unref();
    const started = new Promise<Worker>((resolve, reject) => {
      worker.once('message', (message: unknown) =>
        message === READY ? resolve(worker) : reject(new Error('import worker did not start')),
      );
      worker.once('error', reject);
      worker.once('exit', () => reject(new Error('import worker stopped while starting')));
    });
    started.catch(() => {
      if (this.worker === started) this.worker = null;
    });
    return started;
  }

  private async run(source: ImportInput['source'], state: Uint8Array, maxUpdateBytes: number): Promise<Uint8Array | null> {
    const starting = (this.worker ??= this.spawn());
    const worker = await starting;
    const id = this.nextId++;
    return new Promise<Uint8Array | null>((resolve, reject) => {
      const finish = (err: Error | null, update?: Uint8Array | null) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (err) reject(err);
        else resolve(update ?? null);
      };
      const discard = () => {
        if (this.worker === starting) this.worker = null;
        void worker.terminate();
      };
      const onMessage = (res: ImportResponse) => {
        if (res.id !== id) return;
        if ('parsed' in res) {
          clearTimeout(timer);
          timer = deadline(this.buildTimeoutMs, `building the pad from it took longer than ${this.buildTimeoutMs} ms`);
        } else if (res.ok) finish(null, res.update);
        else finish(res.refusal === 'tooLarge' ? new ImportTooLarge(res.message) : new MarkdownTooComplex(res.message));
      };
      const onError = (err: Error) => {
        discard();
        finish(new MarkdownTooComplex(`This markdown is too complex to import (${err.message.slice(0, 200)}).`));
      };
      const onExit = () => {
        if (this.worker === starting) this.worker = null;
        finish(new MarkdownTooComplex('This markdown is too complex to import (the parser stopped).'));
      };
      const deadline = (ms: number, what: string) =>
        setTimeout(() => {
          discard();
          finish(
            new MarkdownTooComplex(`This markdown is too complex to import: ${what}. Simplify deeply nested or heavily formatted parts.`),
          );
        }, ms);
      let timer = deadline(this.timeoutMs, `reading it took longer than ${this.timeoutMs} ms`);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const req: ImportRequest = { id, source, state, maxUpdateBytes, maxNodes: this.maxNodes };
      worker.postMessage(req, [state.buffer as ArrayBuffer]);
    });
  }
}

/** Most quote and list markers one line may open; deeper nesting overflows marked's stack. */
export const MAX_LINE_NESTING = 100;

/**
 * A quick linear scan for nesting that marked cannot parse (it recurses once per level).
 * Returns a message for the first offending line, or null.
 */
export function nestingProblem(markdown: string): string | null {
  let lineNumber = 0;
  for (const line of markdown.split('\n')) {
    lineNumber++;
    const prefix = /^[\s>*+\-\d.)]*/.exec(line)?.[0] ?? '';
    if (prefix.length < MAX_LINE_NESTING) continue;
    const markers = prefix.match(/>|[-+*](?=\s)|\d{1,9}[.)](?=\s)/g)?.length ?? 0;
    const indent = /^[ \t]*/.exec(prefix)?.[0].length ?? 0;
    if (markers > MAX_LINE_NESTING || (indent > 4 * MAX_LINE_NESTING && markers > 0)) {
      return `Line ${lineNumber} nests quotes or lists more than ${MAX_LINE_NESTING} levels deep; flatten it and try again.`;
    }
  }
  return null;
}
