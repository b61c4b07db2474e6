/**
 * Edit keys in the browser: remembered per pad in localStorage (`gatherpad:editkey:<padId>`),
 * sent on the pad's socket as `?token=` and on HTTP writes as the `X-Edit-Key` header, and the
 * dialog that asks for one when the server says the pad needs it.
 */
import { DeniedReason } from '../../../common/protocol.js';
import { trapFocus } from '../dialogs/focus-trap.js';
import '../dialogs/modal-dialog.css';

const PREFIX = 'gatherpad:editkey:';

/** The server's auth reasons that an edit key can fix. */
export const NEEDS_KEY_REASON = DeniedReason.needsEditKey;
export const WRONG_KEY_REASON = DeniedReason.wrongEditKey;

export function loadEditKey(padId: string): string | null {
  try {
    return localStorage.getItem(PREFIX + padId);
  } catch {
    return null;
  }
}

export function saveEditKey(padId: string, key: string | null): void {
  try {
    if (key) localStorage.setItem(PREFIX + padId, key);
    else localStorage.removeItem(PREFIX + padId);
  } catch {
    // Storage disabled: the key lasts for this page only.
  }
}

/** Headers for an HTTP write to `padId`: `X-Edit-Key` when one is remembered. */
export function editKeyHeaders(padId: string): Record<string, string> {
  const key = loadEditKey(padId);
  return key ? { 'X-Edit-Key': key } : {};
}

/**
 * Asks for the edit key in a modal `<dialog>`; resolves with the key, or null if cancelled.
 * `wrong` says the last key did not work.
 */
export function askForEditKey(wrong: boolean): Promise<string | null> {
  const dialog = document.createElement('dialog');
  dialog.className = 'modal-dialog';
  dialog.setAttribute('aria-labelledby', 'edit-key-heading');
  dialog.dataset.testid = 'edit-key-dialog';
  const form = document.createElement('form');
  form.method = 'dialog';
  const heading = document.createElement('h2');
  heading.id = 'edit-key-heading';
  heading.textContent = 'Enter edit key';
  const help = document.createElement('p');
  help.className = 'muted';
  help.textContent = wrong
    ? 'That edit key is not correct for this pad. Check it with the organisers and try again.'
    : 'This pad needs an edit key to make changes. The organisers of the event can give it to you. It is kept on this device.';
  const label = document.createElement('label');
  label.htmlFor = 'edit-key-input';
  label.textContent = 'Edit key';
  const input = document.createElement('input');
  input.id = 'edit-key-input';
  input.type = 'password';
  input.autocomplete = 'off';
  input.required = true;
  const actions = document.createElement('div');
  actions.className = 'modal-dialog__actions';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.className = 'button';
  cancel.textContent = 'Cancel';
  const ok = document.createElement('button');
  ok.type = 'submit';
  ok.className = 'button button--primary';
  ok.textContent = 'Unlock editing';
  actions.append(cancel, ok);
  form.append(heading, help, label, input, actions);
  dialog.append(form);
  document.body.append(dialog);

  return new Promise((resolve) => {
    let answer: string | null = null;
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', () => {
      answer = input.value.trim() || null;
    });
    const stopTrap = trapFocus(dialog);
    dialog.addEventListener('close', () => {
      stopTrap();
      dialog.remove();
      resolve(answer);
    });
    dialog.showModal();
    input.focus();
  });
}
