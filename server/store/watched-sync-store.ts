/**
 * The store as the rooms see it, with the outcome of every write told to StorageHealth: a
 * commit that succeeds clears a failure, one that fails on storage (a full disk) sets it. Reads
 * that fail on storage count too (loading a pad on SQLite moves its journal rows first).
 */
import type { SyncStore } from '../sync/types.js';
import type { StorageHealth } from './storage-health.js';

export function watchedSyncStore(store: SyncStore, health: StorageHealth): SyncStore {
  const failed = (err: unknown): never => {
    health.failed(err);
    throw err;
  };
  return {
    loadPad: (padId) => store.loadPad(padId).catch(failed),
    appendUpdates: (records) =>
      store.appendUpdates(records).then((seqs) => {
        health.succeeded();
        return seqs;
      }, failed),
    readTail: (padId, afterSeq) => store.readTail(padId, afterSeq).catch(failed),
    writeSnapshot: (padId, seq, state) => store.writeSnapshot(padId, seq, state).catch(failed),
  };
}
