/**
 * Builds snapshots of large pads in a worker thread (snapshot-worker.ts). Encoding a large pad
 * that hundreds of people type into holds the loop for tens of milliseconds, every socket of
 * the server waiting meanwhile (docs/architecture.md, Loading and unloading); the worker
 * rebuilds the same state from the previous snapshot and the log after it. One worker, requests
 * answered in order; a crashed worker fails what it held and is replaced on the next request.
 * The worker stops once it has nothing to build: a build leaves its heap at several times the
 * pad's size, and starting one again costs little, nearly all of it on its own low-priority
 * thread.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread.js';
import type { SealedUpdates } from './packed-updates.js';
import type { BuildRequest, BuildResponse } from './snapshot-worker.js';

interface Pending {
  resolve(state: Uint8Array): void;
  reject(err: Error): void;
}

export class SnapshotBuilder {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /**
   * The encoded state of `base` with `updates` applied after it. The updates' buffers move to
   * the worker (unusable here afterwards); the base, which the store may still be writing, is
   * copied.
   */
  build(base: Uint8Array, updates: SealedUpdates): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new RangeError('SnapshotBuilder is closed'));
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    const req: BuildRequest = { id, base, updates: updates.bytes, lengths: updates.lengths };
    const moved = [updates.bytes.buffer, updates.lengths.buffer] as ArrayBuffer[];
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(req, moved);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll(new RangeError('SnapshotBuilder is closed'));
  }

  private spawn(): Worker {
    const worker = startWorker(import.meta.url, 'snapshot-worker');
    worker.unref();
    worker.on('message', (res: BuildResponse) => {
      const waiter = this.pending.get(res.id);
      if (!waiter) return;
      this.pending.delete(res.id);
      if (this.pending.size === 0) this.retire(worker);
      if (res.ok) waiter.resolve(res.state);
      else waiter.reject(new Error(`snapshot build failed: ${res.message}`));
    });
    const lost = (err: Error) => {
      this.retire(worker);
      this.failAll(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`snapshot worker stopped (exit code ${code})`)));
    return worker;
  }

  private retire(worker: Worker): void {
    if (this.worker === worker) this.worker = null;
    worker.removeAllListeners();
    void worker.terminate();
  }

  private failAll(err: Error): void {
    const waiters = Array.from(this.pending.values());
    this.pending.clear();
    for (const waiter of waiters) waiter.reject(err);
  }
}
