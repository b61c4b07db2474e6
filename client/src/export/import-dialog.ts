/**
 * The import dialog: upload a .md or .txt file or paste markdown, confirm, and
 * `PUT /api/v1/pads/<padId>/content` replaces the pad for everyone as one new revision (the old
 * content stays in history). Live editors receive the change through the pad's socket.
 */
import { editKeyHeaders } from '../access/edit-key.js';
import { errorMessage } from './export-menu.js';

/** The server's default cap (MAX_IMPORT_BYTES); the server has the final word. */
const MAX_BYTES = 1024 * 1024;

let dialog: HTMLDialogElement | null = null;

export function openImportDialog(padId: string, notify: (message: string) => void): void {
  dialog ??= buildDialog();
  const d = dialog;
  const form = d.querySelector('form') as HTMLFormElement;
  const file = d.querySelector<HTMLInputElement>('#import-file')!;
  const text = d.querySelector<HTMLTextAreaElement>('#import-text')!;
  const error = d.querySelector<HTMLElement>('.import-dialog__error')!;
  const submit = d.querySelector<HTMLButtonElement>('button[type=submit]')!;
  form.reset();
  error.hidden = true;
  submit.disabled = false;
  let plain = false;

  file.onchange = () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    if (chosen.size > MAX_BYTES) {
      showError(`That file is ${Math.ceil(chosen.size / 1024)} KiB; the most one import may be is 1 MiB.`);
      return;
    }
    plain = /\.txt$/i.test(chosen.name);
    void chosen.text().then((content) => {
      text.value = content;
      error.hidden = true;
    });
  };
  text.oninput = () => {
    if (!file.files?.length) plain = false;
  };
  form.onsubmit = (event) => {
    event.preventDefault();
    if (text.value.trim() === '') {
      showError('Choose a file or paste some markdown first.');
      return;
    }
    submit.disabled = true;
    fetch(`/api/v1/pads/${encodeURIComponent(padId)}/content`, {
      method: 'PUT',
      headers: { 'content-type': `${plain ? 'text/plain' : 'text/markdown'}; charset=utf-8`, ...editKeyHeaders(padId) },
      body: text.value,
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(await errorMessage(res));
        const body = (await res.json()) as { changed: boolean };
        d.close();
        notify(body.changed ? 'Imported: the pad content was replaced.' : 'The pad already had exactly this content.');
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

function buildDialog(): HTMLDialogElement {
  const d = document.createElement('dialog');
  d.className = 'import-dialog';
  d.dataset.testid = 'import-dialog';
  d.setAttribute('aria-labelledby', 'import-dialog-heading');
  d.innerHTML = `
    <form method="dialog">
      <h2 id="import-dialog-heading">Import markdown or text</h2>
      <p class="import-dialog__warning"><strong>This replaces the pad content for everyone; the old content stays in history.</strong></p>
      <label for="import-file">Upload a .md or .txt file</label>
      <input id="import-file" type="file" accept=".md,.markdown,.txt,text/markdown,text/plain" />
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
