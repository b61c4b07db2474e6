/**
 * Runs the heavy part of history views (history-work.ts: rebuilding revisions, diffs,
 * authorship) in one worker thread at the lowest priority, one task at a time. Bounded: at most
 * `maxWaiting` tasks wait for their turn; more are refused at once (HTTP 503 with Retry-After)
 * rather than queued without end. Results are cached by a key that names exactly what they
 * were computed from (revision bounds, the pad's last seq), and concurrent asks for one key
 * share one run: forty people opening the same diff cost one rebuild.
 *
 * A task's bytes are read from the store only when its turn comes, so waiting tasks hold none.
 */
import type { Worker } from 'node:worker_threads';
import { ApiError } from '../errors.js';
import { startWorker } from '../worker-thread.js';
import type { HistoryRequest, HistoryResponse, HistoryTask } from './history-work.js';

export interface HistoryWorkerOptions {
  /** Tasks that may wait for the worker (default 32). */
  maxWaiting?: number;
  /** Longest one task may run before the worker is replaced, ms (default 20 s). */
  timeoutMs?: number;
  /** Cached results, by their estimated size (default 32 MiB). */
  cacheBytes?: number;
}

interface Entry {
  body: Uint8Array;
  bytes: number;
  /** performance.now() after which it is computed anew. */
  expires: number;
}

export class HistoryWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private closed = false;
  private waiting = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Map<string, Promise<Uint8Array>>();
  /** Least recently used first. */
  private readonly cache = new Map<string, Entry>();
  private cachedBytes = 0;
  private readonly maxWaiting: number;
  private readonly timeoutMs: number;
  private readonly cacheBytes: number;

  constructor(options: HistoryWorkerOptions = {}) {
    this.maxWaiting = options.maxWaiting ?? 32;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.cacheBytes = options.cacheBytes ?? 32 * 1024 * 1024;
  }

  /**
   * The result for `key` as UTF-8 JSON: cached, shared with a run under way, or computed by the
   * task that `prepare` reads when its turn comes. Cached for `ttlMs` (default: until evicted).
   */
  run(key: string, prepare: () => Promise<HistoryTask>, ttlMs = Infinity): Promise<Uint8Array> {
    const hit = this.cache.get(key);
    if (hit && hit.expires > performance.now()) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return Promise.resolve(hit.body);
    }
    const shared = this.inFlight.get(key);
    if (shared) return shared;
    if (this.waiting >= this.maxWaiting) {
      return Promise.reject(new ApiError('unavailable', 'The server is busy with other history views; try again in a few seconds.'));
    }
    this.waiting += 1;
    const run = this.queue.then(async () => {
      this.waiting -= 1;
      const result = await this.post(await prepare());
      this.remember(key, result, ttlMs);
      return result;
    });
    this.queue = run.catch(() => undefined);
    const tracked = run.finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, tracked);
    return tracked;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private remember(key: string, body: Uint8Array, ttlMs: number): void {
    const bytes = body.byteLength;
    if (bytes > this.cacheBytes / 4) return;
    const old = this.cache.get(key);
    if (old) {
      this.cache.delete(key);
      this.cachedBytes -= old.bytes;
    }
    this.cache.set(key, { body, bytes, expires: performance.now() + ttlMs });
    this.cachedBytes += bytes;
    for (const [oldKey, entry] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.cache.delete(oldKey);
      this.cachedBytes -= entry.bytes;
    }
  }

  private post(task: HistoryTask): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new ApiError('unavailable', 'The server is shutting down.'));
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const finish = (err: Error | null, body?: Uint8Array) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (err) reject(err);
        else resolve(body as Uint8Array);
      };
      const discard = () => {
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
      };
      const onMessage = (res: HistoryResponse) => {
        if (res.id !== id) return;
        if (res.ok) finish(null, res.body);
        else finish(new Error(`history task failed: ${res.message}`));
      };
      const onError = (err: Error) => {
        discard();
        finish(err);
      };
      const onExit = () => {
        if (this.worker === worker) this.worker = null;
        finish(new ApiError('unavailable', 'The history view could not be built; try again.'));
      };
      const timer = setTimeout(() => {
        discard();
        finish(new ApiError('unavailable', `Building this history view took longer than ${this.timeoutMs / 1000} s; try again later.`));
      }, this.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const req = { ...task, id } as HistoryRequest;
      worker.postMessage(req, transferables(task));
    });
  }

  private spawn(): Worker {
    const worker = startWorker(import.meta.url, 'history-work');
    worker.unref();
    return worker;
  }
}

/** The packed buffers of a task (each in a buffer of its own), moved rather than copied. */
function transferables(task: HistoryTask): ArrayBuffer[] {
  const sources = task.kind === 'diff' ? [task.before, task.after] : [task.source];
  const buffers = new Set<ArrayBuffer>();
  for (const source of sources) {
    buffers.add(source.updates.buffer as ArrayBuffer);
    buffers.add(source.lengths.buffer as ArrayBuffer);
  }
  return [...buffers];
}
