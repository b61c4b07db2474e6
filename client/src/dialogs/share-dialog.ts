/**
 * The share dialog: the edit link (not shown to viewers), the read-only link and an embed
 * snippet for the read-only view, each with a copy button. The read-only id comes from
 * `GET /api/v1/pads/<id>` (which answers for a read-only id without revealing the pad id).
 */
import { trapFocus } from './focus-trap.js';
import './modal-dialog.css';

export interface ShareOptions {
  /** The id the page was opened with: a pad id, or a read-only id on `/r/` pages. */
  id: string;
  readOnly: boolean;
}

async function readOnlyIdOf(options: ShareOptions): Promise<string | null> {
  if (options.readOnly) return options.id;
  const res = await fetch(`/api/v1/pads/${encodeURIComponent(options.id)}`);
  if (!res.ok) return null;
  const body = (await res.json()) as { readOnlyId?: unknown };
  return typeof body.readOnlyId === 'string' ? body.readOnlyId : null;
}

async function copy(text: string, field: HTMLInputElement | HTMLTextAreaElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field.select();
    return document.execCommand('copy');
  }
}

function copyRow(labelText: string, id: string, value: string, multiline = false): HTMLElement {
  const wrap = document.createElement('div');
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = labelText;
  const row = document.createElement('div');
  row.className = 'modal-dialog__row';
  const field = multiline ? document.createElement('textarea') : document.createElement('input');
  field.id = id;
  field.readOnly = true;
  field.value = value;
  field.dataset.testid = id;
  if (field instanceof HTMLTextAreaElement) field.rows = 3;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', `Copy ${labelText.toLowerCase()}`);
  button.addEventListener('click', () => {
    void copy(field.value, field).then((ok) => {
      button.textContent = ok ? 'Copied' : 'Press Ctrl+C';
      setTimeout(() => (button.textContent = 'Copy'), 2000);
    });
  });
  row.append(field, button);
  wrap.append(label, row);
  return wrap;
}

export async function openShareDialog(options: ShareOptions): Promise<void> {
  const dialog = document.createElement('dialog');
  dialog.className = 'modal-dialog';
  dialog.dataset.testid = 'share-dialog';
  dialog.setAttribute('aria-labelledby', 'share-heading');
  const heading = document.createElement('h2');
  heading.id = 'share-heading';
  heading.textContent = 'Share this pad';
  const body = document.createElement('div');
  body.textContent = 'Loading the links...';
  const actions = document.createElement('div');
  actions.className = 'modal-dialog__actions';
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'button button--primary';
  close.textContent = 'Done';
  close.addEventListener('click', () => dialog.close());
  actions.append(close);
  dialog.append(heading, body, actions);
  const stopTrap = trapFocus(dialog);
  dialog.addEventListener('close', () => {
    stopTrap();
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal();

  const origin = location.origin;
  const rows: HTMLElement[] = [];
  if (!options.readOnly) rows.push(copyRow('Edit link', 'share-edit-link', `${origin}/p/${options.id}`));
  let readOnlyId: string | null = null;
  try {
    readOnlyId = await readOnlyIdOf(options);
  } catch {
    readOnlyId = null;
  }
  if (readOnlyId) {
    const readOnlyUrl = `${origin}/r/${readOnlyId}`;
    rows.push(
      copyRow('Read-only link', 'share-readonly-link', readOnlyUrl),
      copyRow(
        'Embed snippet',
        'share-embed',
        `<iframe src="${readOnlyUrl}" title="Gatherpad notes" width="100%" height="600" style="border:0"></iframe>`,
        true,
      ),
    );
  } else {
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = navigator.onLine
      ? 'The read-only link appears once the pad has been saved with some content.'
      : 'The read-only link needs a connection to the server; try again when you are online.';
    rows.push(note);
  }
  const hint = document.createElement('p');
  hint.className = 'muted';
  hint.textContent = options.readOnly
    ? 'People with the read-only link see live changes but cannot edit.'
    : 'Anyone with the edit link can edit (with the edit key, if the pad has one). The read-only link only shows the pad.';
  body.replaceChildren(...rows, hint);
}
