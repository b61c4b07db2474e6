/**
 * Whether every change to the pad's document is in this device's IndexedDB yet. y-indexeddb
 * writes each update in a transaction of its own and says nothing when it completes, and a page
 * unloaded before then aborts it: a change typed offline just before a reload was lost. A
 * transaction opened after those, on the same store, completes only after they have (IndexedDB
 * runs transactions whose scopes overlap in the order they were created), so one read after
 * each burst of changes tells when the burst is stored.
 */
import type { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

const STORE = 'updates';

export class DeviceCopy {
  private confirmed = false;
  private checking = false;
  /** A change arrived after the running check's read was opened. */
  private changedSinceCheck = false;

  /** Construct right after the persistence: its `update` handler must run before this one's. */
  constructor(
    private readonly persistence: IndexeddbPersistence,
    doc: Y.Doc,
  ) {
    doc.on('update', this.changed);
    // Until the stored copy is loaded (and the document as it was then written), nothing is confirmed.
    void persistence.whenSynced.then(this.changed);
  }

  /** Every change so far is in IndexedDB. False while IndexedDB is unavailable. */
  get stored(): boolean {
    return this.confirmed;
  }

  private readonly changed = (): void => {
    this.confirmed = false;
    if (this.checking) this.changedSinceCheck = true;
    else this.check();
  };

  private check(): void {
    const db = this.persistence.db;
    if (!db || !this.persistence.synced) return;
    this.checking = true;
    this.changedSinceCheck = false;
    const settle = (ok: boolean) => {
      this.checking = false;
      if (this.changedSinceCheck) this.check();
      else this.confirmed = ok;
    };
    try {
      const transaction = db.transaction(STORE, 'readonly');
      transaction.objectStore(STORE).count();
      transaction.oncomplete = () => settle(true);
      transaction.onabort = () => settle(false);
    } catch {
      // The database is closing (the page is going away) or gone.
      settle(false);
    }
  }
}
