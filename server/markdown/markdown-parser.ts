/**
 * Parses markdown for imports in a worker thread with a time and memory limit. marked, under
 * MarkdownManager, is quadratic on some inputs (thousands of `_a` or `[a](` in one paragraph)
 * and overflows its stack on deep nesting: such input is refused with MarkdownTooComplex
 * instead of blocking the server. One parse runs at a time; the worker is replaced after a
 * timeout or a crash.
 */
import type { Worker } from 'node:worker_threads';
import type { JSONContent } from '@tiptap/core';
import { startWorker } from '../worker-thread.js';
import type { ParseRequest, ParseResponse } from './parse-worker.js';

export class MarkdownTooComplex extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MarkdownTooComplex';
  }
}

export interface MarkdownParserOptions {
  /** Longest a parse may take, ms (default 3000). */
  timeoutMs?: number;
  /** Heap limit of the worker, MiB (default 512). */
  maxHeapMb?: number;
}

export class MarkdownParser {
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;

  constructor(options: MarkdownParserOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.maxHeapMb = options.maxHeapMb ?? 512;
  }

  /** The pad `doc` JSON for `markdown`; rejects with MarkdownTooComplex on timeout or failure. */
  parse(markdown: string): Promise<JSONContent> {
    const tooDeep = nestingProblem(markdown);
    if (tooDeep) return Promise.reject(new MarkdownTooComplex(tooDeep));
    const run = this.queue.then(() => this.run(markdown));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private spawn(): Worker {
    if (this.closed) throw new RangeError('MarkdownParser is closed');
    const worker = startWorker(import.meta.url, 'parse-worker', { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, stackSizeMb: 8 } });
    worker.unref();
    return worker;
  }

  private run(markdown: string): Promise<JSONContent> {
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise<JSONContent>((resolve, reject) => {
      const finish = (err: Error | null, json?: JSONContent) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (err) reject(err);
        else resolve(json as JSONContent);
      };
      const discard = () => {
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
      };
      const onMessage = (res: ParseResponse) => {
        if (res.id !== id) return;
        if (res.ok) finish(null, res.json as JSONContent);
        else finish(new MarkdownTooComplex(`This markdown could not be read (${res.message.slice(0, 200)}).`));
      };
      const onError = (err: Error) => {
        discard();
        finish(new MarkdownTooComplex(`This markdown is too complex to import (${err.message.slice(0, 200)}).`));
      };
      const onExit = () => {
        if (this.worker === worker) this.worker = null;
        finish(new MarkdownTooComplex('This markdown is too complex to import (the parser stopped).'));
      };
      const timer = setTimeout(() => {
        discard();
        finish(new MarkdownTooComplex(`This markdown is too complex to import: reading it took longer than ${this.timeoutMs} ms. Simplify deeply nested or heavily formatted parts.`));
      }, this.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const req: ParseRequest = { id, markdown };
      worker.postMessage(req);
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
