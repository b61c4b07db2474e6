/**
 * Group fsync of a SQLite WAL file, off the event loop. Log commits run with
 * synchronous=NORMAL (their frames reach the WAL file, not yet the disk); `sync()` then has
 * libuv's thread pool `fdatasync` the WAL and resolves once everything written before the call
 * is on disk. fsync acts on the file, not the descriptor, so our own read-only descriptor
 * flushes what SQLite wrote through its own. WAL recovery keeps a prefix of the commits, so a
 * synced commit also keeps every earlier one.
 *
 * One sync runs at a time; calls made while it runs share the next one (a write that landed
 * after a sync began is not covered by it).
 */
import { open, type FileHandle } from 'node:fs/promises';

export class WalSync {
  private file: Promise<FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  /** fdatasync calls made so far (for /metrics and the durability benchmark). */
  syncs = 0;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything written to the WAL before this call is durable. */
  sync(): Promise<void> {
    if (this.next) return this.next;
    if (!this.running) return this.begin();
    const after = this.running.catch(() => undefined).then(() => {
      this.next = null;
      return this.begin();
    });
    this.next = after;
    return after;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.next]);
    const file = this.file;
    this.file = null;
    if (file) await (await file).close();
  }

  private begin(): Promise<void> {
    this.file ??= open(this.walPath, 'r').catch((err: unknown) => {
      this.file = null;
      throw err;
    });
    const run = this.file.then((file) => {
      this.syncs += 1;
      return file.datasync();
    });
    const tracked = run.finally(() => {
      if (this.running === tracked) this.running = null;
    });
    this.running = tracked;
    return tracked;
  }
}
