/**
 * Replays an export's revisions from Etherpad's initial "\n": each changeset is parsed and
 * applied, each key revision's stored atext must equal the replayed one, and so must the pad
 * record's final atext. The first revision that fails stops the replay with its number and
 * reason (ImportError 422), so a corrupt history is never imported.
 */
import { applyChangeset, AttribPool, AttribTable, firstDifference, initialAText, readAText, type AText } from './atext.js';
import { ChangesetError, parseChangeset } from './changeset.js';
import type { EtherpadExport, RevisionRecord } from './export-file.js';
import { ImportError } from './import-error.js';

export interface ReplayedRevision {
  record: RevisionRecord;
  atext: AText;
}

export interface AtextReplay {
  pool: AttribPool;
  table: AttribTable;
  revisions: Iterable<ReplayedRevision>;
}

export function replayATexts(file: EtherpadExport): AtextReplay {
  const table = new AttribTable();
  let pool: AttribPool;
  try {
    pool = AttribPool.fromJson(file.pool, `The pad record "pad:${file.name}"`);
  } catch (err) {
    throw new ImportError(400, 'not_etherpad_export', (err as Error).message);
  }
  return { pool, table, revisions: revisionsOf(file, pool, table) };
}

function* revisionsOf(file: EtherpadExport, pool: AttribPool, table: AttribTable): Generator<ReplayedRevision> {
  let atext = initialAText(table);
  for (const record of file.revisions) {
    try {
      atext = applyChangeset(atext, parseChangeset(record.changeset), pool, table);
    } catch (err) {
      throw failure(record.rev, 'its changeset does not apply', err);
    }
    if (record.keyAText !== undefined && record.keyAText !== null) {
      let stored: AText;
      try {
        const keyPool =
          record.keyPool === undefined || record.keyPool === null ? pool : AttribPool.fromJson(record.keyPool, `Revision ${record.rev}`);
        stored = readAText(record.keyAText, keyPool, table, `revision ${record.rev}'s key atext`);
      } catch (err) {
        throw failure(record.rev, 'its key atext cannot be read', err);
      }
      const difference = firstDifference(atext, stored);
      if (difference)
        throw new ImportError(
          422,
          'key_revision_mismatch',
          `Revision ${record.rev} does not match its key revision: ${difference}.`,
          record.rev,
        );
    }
    yield { record, atext };
  }
  // A replay cut short on purpose (`throughRevision`) has no final atext to match.
  if (file.atext === undefined) return;
  let final: AText;
  try {
    final = readAText(file.atext, pool, table, 'the pad record');
  } catch (err) {
    throw failure(file.head, "the pad's current atext cannot be read", err);
  }
  const difference = firstDifference(atext, final);
  if (difference)
    throw new ImportError(422, 'head_mismatch', `The replayed history does not match the pad's current text: ${difference}.`, file.head);
}

function failure(rev: number, what: string, err: unknown): ImportError {
  if (!(err instanceof ChangesetError)) throw err;
  return new ImportError(422, 'corrupt_revision', `Revision ${rev}: ${what}: ${err.message}.`, rev);
}
