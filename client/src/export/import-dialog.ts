/**
 * The import dialog: a .md, .txt or .etherpad file (chosen or dropped on the dialog) or pasted
 * markdown.
 * - Markdown and text replace the pad for everyone as one new revision (`PUT /api/v1/pads/<padId>/content`);
 *   the old content stays in history.
 * - An .etherpad file (Etherpad's full export) brings its history, authors and chat into an
 *   empty pad (`POST /p/<padId>/import`, multipart `file`).
 * Live editors receive the change through the pad's socket.
 */
import { editKeyHeaders } from '../access/edit-key.js';
import { errorMessage } from './export-menu.js';

/** The server's default caps (MAX_IMPORT_BYTES, MAX_ETHERPAD_IMPORT_BYTES); the server has the final word. */
const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_ETHERPAD_BYTES = 32 * 1024 * 1024;

let dialog: HTMLDialogElement | null = null;

interface EtherpadSummary {
  revisions: number;
  authors: number;
  chatMessages: number;
  droppedAttributes: Record<string, number>;
}

export function openImportDialog(padId: string, notify: (message: string) => void): void {
  dialog ??= buildDialog();
  const d = dialog;
  const form = d.querySelector('form') as HTMLFormElement;
  const input = d.querySelector<HTMLInputElement>('#import-file')!;
  const text = d.querySelector<HTMLTextAreaElement>('#import-text')!;
  const error = d.querySelector<HTMLElement>('.import-dialog__error')!;
  const chosen = d.querySelector<HTMLElement>('.import-dialog__chosen')!;
  const drop = d.querySelector<HTMLElement>('.import-dialog__drop')!;
  const submit = d.querySelector<HTMLButtonElement>('button[type=submit]')!;
  form.reset();
  error.hidden = true;
  chosen.hidden = true;
  submit.disabled = false;
  submit.textContent = 'Replace pad content';
  let plain = false;
  let etherpad: File | null = null;

  const take = (file: File) => {
    error.hidden = true;
    etherpad = null;
    if (/\.etherpad$/i.test(file.name)) {
      if (file.size > MAX_ETHERPAD_BYTES)
        return showError(`That file is ${Math.ceil(file.size / 1024 / 1024)} MiB; the most one import may be is 32 MiB.`);
      etherpad = file;
      text.value = '';
      chosen.textContent = `${file.name}: an Etherpad pad with its history, authors and chat. It goes into an empty pad only.`;
      chosen.hidden = false;
      submit.textContent = 'Import from Etherpad';
      return;
    }
    chosen.hidden = true;
    submit.textContent = 'Replace pad content';
    if (file.size > MAX_TEXT_BYTES)
      return showError(`That file is ${Math.ceil(file.size / 1024)} KiB; the most one import may be is 1 MiB.`);
    plain = /\.txt$/i.test(file.name);
    void file.text().then((content) => {
      text.value = content;
    });
  };

  input.onchange = () => {
    const file = input.files?.[0];
    if (file) take(file);
  };
  drop.ondragover = (event) => {
    event.preventDefault();
    drop.classList.add('import-dialog__drop--over');
  };
  drop.ondragleave = () => drop.classList.remove('import-dialog__drop--over');
  drop.ondrop = (event) => {
    event.preventDefault();
    drop.classList.remove('import-dialog__drop--over');
    const file = event.dataTransfer?.files[0];
    if (file) take(file);
  };
  text.oninput = () => {
    if (!input.files?.length) plain = false;
    if (text.value !== '' && etherpad) {
      etherpad = null;
      chosen.hidden = true;
      submit.textContent = 'Replace pad content';
    }
  };
  form.onsubmit = (event) => {
    event.preventDefault();
    if (!etherpad && text.value.trim() === '') return showError('Choose or drop a file, or paste some markdown first.');
    submit.disabled = true;
    const request = etherpad ? importEtherpad(padId, etherpad) : replaceContent(padId, text.value, plain);
    request
      .then((message) => {
        d.close();
        notify(message);
      })
      .catch((err: unknown) => showError(err instanceof Error ? err.message : 'The import failed; try again.'))
      .finally(() => (submit.disabled = false));
  };
  d.showModal();
  text.focus();

  function showError(message: string): void {
    error.textContent = message;
    error.hidden = false;
  }
}

async function replaceContent(padId: string, body: string, plain: boolean): Promise<string> {
  const res = await fetch(`/api/v1/pads/${encodeURIComponent(padId)}/content`, {
    method: 'PUT',
    headers: { 'content-type': `${plain ? 'text/plain' : 'text/markdown'}; charset=utf-8`, ...editKeyHeaders(padId) },
    body,
  });
  if (!res.ok) throw new Error(await errorMessage(res));
  const result = (await res.json()) as { changed: boolean };
  return result.changed ? 'Imported: the pad content was replaced.' : 'The pad already had exactly this content.';
}

async function importEtherpad(padId: string, file: File): Promise<string> {
  const body = new FormData();
  body.set('file', file, file.name);
  const res = await fetch(`/p/${encodeURIComponent(padId)}/import`, { method: 'POST', headers: editKeyHeaders(padId), body });
  if (!res.ok) throw new Error(await errorMessage(res));
  const s = (await res.json()) as EtherpadSummary;
  const dropped = Object.keys(s.droppedAttributes);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `Imported from Etherpad: ${plural(s.revisions, 'revision')}, ${plural(s.authors, 'author')}, ${plural(s.chatMessages, 'chat message')}${dropped.length ? ` (left out: ${dropped.join(', ')})` : ''}. History has it all.`;
}

function buildDialog(): HTMLDialogElement {
  const d = document.createElement('dialog');
  d.className = 'import-dialog';
  d.dataset.testid = 'import-dialog';
  d.setAttribute('aria-labelledby', 'import-dialog-heading');
  d.innerHTML = `
    <form method="dialog">
      <h2 id="import-dialog-heading">Import</h2>
      <p class="import-dialog__warning"><strong>Markdown or text replaces the pad content for everyone; the old content stays in history.</strong>
        An Etherpad export (.etherpad) brings its whole history into an empty pad.</p>
      <div class="import-dialog__drop" data-testid="import-drop">
        <label for="import-file">Upload a .md, .txt or .etherpad file, or drop it here</label>
        <input id="import-file" type="file" accept=".md,.markdown,.txt,.etherpad,text/markdown,text/plain" />
        <p class="import-dialog__chosen" data-testid="import-chosen" hidden></p>
      </div>
      <label for="import-text">or paste markdown</label>
      <textarea id="import-text" rows="12" spellcheck="false"></textarea>
      <p class="import-dialog__error" role="alert" hidden></p>
      <div class="import-dialog__actions">
        <button type="button" class="button" data-action="cancel">Cancel</button>
        <button type="submit" class="button button--primary" data-testid="import-confirm">Replace pad content</button>
      </div>
    </form>`;
  d.querySelector('[data-action=cancel]')!.addEventListener('click', () => d.close());
  document.body.append(d);
  return d;
}
