/**
 * The app's own modal dialogs, in place of `prompt` and `confirm`: a titled `<dialog>` with an
 * optional description, text fields, an error line and buttons. Labelled by its heading and
 * described by its text, focus stays inside (focus-trap.ts), Escape or Cancel closes it and
 * focus returns to where it was. Text is only ever set as text.
 */
import './modal-dialog.css';
import './form-dialog.css';
import { el } from '../dom.js';
import { trapFocus } from './focus-trap.js';

export interface DialogField {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'url';
  placeholder?: string;
}

export interface DialogButton {
  label: string;
  /** What the dialog resolves with as `action` when this button is pressed. */
  action: string;
}

export interface FormDialogOptions {
  title: string;
  description?: string;
  fields?: DialogField[];
  /** The primary button; resolves with `action: 'submit'`. */
  submitLabel: string;
  /** Buttons between Cancel and the primary one (for example "Remove link"). */
  extraButtons?: DialogButton[];
  /** A primary button that destroys or replaces something is drawn as such. */
  danger?: boolean;
  /** False for a message with one button: no Cancel (Escape still closes it). */
  cancel?: boolean;
  testId?: string;
  /**
   * Runs on submit with the fields' values (trimmed). A message keeps the dialog open and shows
   * there (for example the server's refusal); null closes it. May do the work itself.
   */
  check?(values: Record<string, string>): string | null | Promise<string | null>;
}

export type DialogResult = { action: string; values: Record<string, string> } | null;

let counter = 0;

/** Opens the dialog; resolves with the pressed button and the values, or null when cancelled. */
export function openFormDialog(options: FormDialogOptions): Promise<DialogResult> {
  const id = `app-dialog-${++counter}`;
  const dialog = el('dialog', { className: 'modal-dialog app-dialog' });
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  if (options.testId) dialog.dataset.testid = options.testId;
  const form = el('form');
  form.method = 'dialog';
  form.noValidate = true;
  const heading = el('h2', { text: options.title });
  heading.id = `${id}-title`;
  form.append(heading);
  if (options.description) {
    const description = el('p', { className: 'app-dialog__description', text: options.description });
    description.id = `${id}-description`;
    dialog.setAttribute('aria-describedby', description.id);
    form.append(description);
  }
  const inputs = (options.fields ?? []).map((field, index) => {
    const label = el('label', { text: field.label });
    label.htmlFor = `${id}-field-${index}`;
    const input = el('input');
    input.id = label.htmlFor;
    input.name = field.name;
    input.type = field.type ?? 'text';
    input.value = field.value ?? '';
    input.autocomplete = 'off';
    if (field.placeholder) input.placeholder = field.placeholder;
    form.append(label, input);
    return input;
  });
  const error = el('p', { className: 'app-dialog__error' });
  error.id = `${id}-error`;
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const actions = el('div', { className: 'modal-dialog__actions' });
  const cancel = el('button', { className: 'button', text: 'Cancel' });
  cancel.type = 'button';
  const extras = (options.extraButtons ?? []).map((spec) => {
    const button = el('button', { className: 'button', text: spec.label });
    button.type = 'button';
    button.dataset.action = spec.action;
    return button;
  });
  const submit = el('button', { className: `button ${options.danger ? 'button--danger' : 'button--primary'}`, text: options.submitLabel });
  submit.type = 'submit';
  cancel.hidden = options.cancel === false;
  actions.append(cancel, ...extras, submit);
  form.append(error, actions);
  dialog.append(form);

  const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const stopTrap = trapFocus(dialog);
  document.body.append(dialog);

  return new Promise((resolve) => {
    let result: DialogResult = null;
    let busy = false;
    const values = (): Record<string, string> => Object.fromEntries(inputs.map((input) => [input.name, input.value.trim()]));
    const finish = (answer: DialogResult): void => {
      result = answer;
      dialog.close();
    };
    const showError = (message: string): void => {
      error.textContent = message;
      error.hidden = false;
      for (const input of inputs) input.setAttribute('aria-describedby', error.id);
      (inputs[0] ?? submit).focus();
    };
    cancel.addEventListener('click', () => finish(null));
    for (const button of extras) button.addEventListener('click', () => finish({ action: button.dataset.action ?? '', values: values() }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (busy) return;
      const answers = values();
      busy = true;
      submit.disabled = true;
      Promise.resolve()
        .then(() => options.check?.(answers) ?? null)
        .then(
          (message) => (message ? showError(message) : finish({ action: 'submit', values: answers })),
          (err: unknown) => showError(err instanceof Error ? err.message : 'That did not work; try again.'),
        )
        .finally(() => {
          busy = false;
          submit.disabled = false;
        });
    });
    dialog.addEventListener('close', () => {
      stopTrap();
      dialog.remove();
      returnTo?.focus();
      resolve(result);
    });
    dialog.showModal();
    const first = inputs[0];
    if (first) {
      first.focus();
      first.select();
    } else submit.focus();
  });
}

/** One text answer, or null when cancelled. */
export async function askForText(
  options: Omit<FormDialogOptions, 'fields' | 'extraButtons'> & { label: string; value?: string },
): Promise<string | null> {
  const { label, value, ...rest } = options;
  const result = await openFormDialog({ ...rest, fields: [{ name: 'text', label, value }] });
  return result?.action === 'submit' ? result.values.text : null;
}

/** A message with one button to close it. */
export async function showMessage(title: string, description: string): Promise<void> {
  await openFormDialog({ title, description, submitLabel: 'Close', cancel: false });
}

/** True when the person confirmed. */
export async function confirmAction(options: Omit<FormDialogOptions, 'fields' | 'extraButtons'>): Promise<boolean> {
  return (await openFormDialog(options))?.action === 'submit';
}
