/**
 * The dialogs of history: save a revision with a label, restore one, fork one into a new pad.
 * Each does its work from the dialog, so the server's refusal (a taken pad name, a missing edit
 * key) shows there and the person can correct it.
 */
import { askForText, confirmAction, openFormDialog } from '../dialogs/form-dialog.js';
import type { SavedRevisionT } from '../../../common/history-schemas.js';
import { historyApi } from './history-api.js';

/** Saves revision `rev` (the latest when undefined) under a label; null when cancelled. */
export async function saveRevisionDialog(padId: string, rev?: number): Promise<SavedRevisionT | null> {
  let saved: SavedRevisionT | null = null;
  const label = await askForText({
    title: rev === undefined ? 'Save this revision' : `Save revision ${rev}`,
    description: 'A labelled revision is easy to find again in History (⇤ Saved / Saved ⇥).',
    label: 'Label',
    value: rev === undefined ? new Date().toLocaleString() : `Revision ${rev}`,
    submitLabel: 'Save revision',
    testId: 'save-revision-dialog',
    check: async ({ text }) => {
      if (text === '') return 'A saved revision needs a label.';
      saved = await historyApi.save(padId, text, rev);
      return null;
    },
  });
  return label === null ? null : saved;
}

/** Makes the live pad equal to revision `rev`; resolves with the new revision, or null when cancelled. */
export async function restoreRevisionDialog(padId: string, rev: number): Promise<number | null> {
  let restoredAs: number | null = null;
  const confirmed = await confirmAction({
    title: `Restore revision ${rev}?`,
    description: `The live pad becomes what it was at revision ${rev}, for everyone, as a new revision on top. Nothing is lost: later revisions stay in history.`,
    submitLabel: 'Restore',
    danger: true,
    testId: 'restore-dialog',
    check: async () => {
      restoredAs = (await historyApi.restore(padId, rev)).rev;
      return null;
    },
  });
  return confirmed ? restoredAs : null;
}

/** Starts a new pad from revision `rev`; resolves with its id, or null when cancelled. */
export async function forkRevisionDialog(padId: string, rev: number): Promise<string | null> {
  let created: string | null = null;
  const result = await openFormDialog({
    title: `Fork revision ${rev}`,
    description: `A new pad starts with the content of revision ${rev} of ${padId}; this pad stays as it is. The new pad is recorded as a fork of ${padId}: an event's recap lists it but leaves its notes and items out, since they repeat this pad's.`,
    fields: [{ name: 'padId', label: 'Name of the new pad', value: `${padId}-r${rev}` }],
    submitLabel: 'Create the new pad',
    testId: 'fork-dialog',
    check: async ({ padId: newPadId }) => {
      if (newPadId === '') return 'The new pad needs a name.';
      created = (await historyApi.fork(padId, rev, newPadId)).padId;
      return null;
    },
  });
  return result ? created : null;
}
