/**
 * Whether the server can store anything now, for /healthz. Two signals: the free space of the
 * filesystem that holds the SQLite file (none to check on PostgreSQL), and the outcome of the
 * latest writes (commits, journal moves, snapshots, probes). After a storage failure the state
 * stays failed until a write succeeds again: a commit, or the probe (a one-row write) that a
 * health check runs at most once per `probeEveryMs` while failed, so that a server nobody
 * writes to finds out that space came back.
 */
import { statfs } from 'node:fs/promises';
import { storageFailureReason } from './storage-errors.js';

/** Below this many free bytes on the data folder's filesystem, nothing useful can be stored. */
export const MIN_FREE_BYTES = 1024 * 1024;

export type StorageState = { ok: true; freeBytes: number | null } | { ok: false; reason: string; freeBytes: number | null; since: string };

export interface StorageHealthOptions {
  /** The folder whose filesystem holds the database (SQLite), or null. */
  dataDir: string | null;
  /** A small real write; rejects (or throws) when storage cannot take one. */
  probe: () => Promise<void> | void;
  /** Default 1000 ms. */
  probeEveryMs?: number;
}

export class StorageHealth {
  private failure: { reason: string; since: number } | null = null;
  private lastProbe = -Infinity;
  private readonly probeEveryMs: number;

  constructor(private readonly options: StorageHealthOptions) {
    this.probeEveryMs = options.probeEveryMs ?? 1000;
  }

  /** Notes a failed write; returns the reason if `err` is about storage (others are not recorded). */
  failed(err: unknown): string | null {
    const reason = storageFailureReason(err);
    if (reason !== null && this.failure?.reason !== reason) this.failure = { reason, since: Date.now() };
    return reason;
  }

  /** Notes a write that succeeded. Cheap: called on every commit. */
  succeeded(): void {
    this.failure = null;
  }

  /** The state now (probing storage again if the last write failed). */
  async check(): Promise<StorageState> {
    const freeBytes = await this.freeBytes();
    if (this.failure && performance.now() - this.lastProbe >= this.probeEveryMs) {
      this.lastProbe = performance.now();
      try {
        await this.options.probe();
        this.succeeded();
      } catch (err) {
        this.failed(err);
      }
    }
    if (this.failure) return { ok: false, reason: this.failure.reason, freeBytes, since: new Date(this.failure.since).toISOString() };
    if (freeBytes !== null && freeBytes < MIN_FREE_BYTES) {
      return {
        ok: false,
        reason: `the disk is full (${Math.floor(freeBytes / 1024)} KiB free)`,
        freeBytes,
        since: new Date().toISOString(),
      };
    }
    return { ok: true, freeBytes };
  }

  private async freeBytes(): Promise<number | null> {
    if (!this.options.dataDir) return null;
    try {
      const stats = await statfs(this.options.dataDir);
      return stats.bavail * stats.bsize;
    } catch {
      return null;
    }
  }
}
