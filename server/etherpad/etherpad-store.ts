/**
 * What the Etherpad migration needs from storage beyond the other stores: an imported pad
 * written in one transaction, old names that lead to new ids, whole-pad copies (the API's
 * copyPad) and the Etherpad-style author ids this server has shown. SQLite:
 * server/store/sqlite-etherpad.ts; PostgreSQL: server/store/postgres/pg-etherpad.ts.
 */
import type { ImportedPad } from './replay.js';

/** The pad already has content: an import never mixes with or replaces it. */
export class PadNotEmpty extends Error {
  constructor(readonly padId: string) {
    super(`Pad "${padId}" already has content.`);
    this.name = 'PadNotEmpty';
  }
}

export interface EtherpadStore {
  /**
   * Writes the pad's log (seqs 1..n), revisions, keyframes, client ids, saved revisions, snapshot,
   * author profiles (only where none is known yet) and alias, all or nothing. Creates the pad
   * record if needed; throws PadNotEmpty if the pad has any update.
   */
  importPad(pad: ImportedPad): Promise<void>;
  /** The pad an old name (exactly as it was written) leads to, or null. */
  aliasTarget(name: string): Promise<string | null>;
  setAlias(name: string, padId: string): Promise<void>;
  /**
   * Copies everything stored for `from` (log, snapshot, history, saved revisions, client ids) to
   * `to`, which gets a read-only id of its own; throws PadNotEmpty if `to` has content.
   */
  copyPad(from: string, to: string): Promise<void>;
  /** Records which stored author an Etherpad-style id shown by this server stands for. */
  rememberAuthorIds(pairs: readonly (readonly [etherpadId: string, author: string])[]): Promise<void>;
  authorForEtherpadId(etherpadId: string): Promise<string | null>;
}
