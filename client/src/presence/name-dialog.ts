/**
 * The "what should we call you" dialog: shown on a first visit (prefilled with a guest name)
 * and when someone clicks their own name in the people list.
 */
import { trapFocus } from '../dialogs/focus-trap.js';
import { cleanName, MAX_NAME_LENGTH } from './user-identity.js';

export interface NameDialogOptions {
  initialName: string;
  /** First visit: no way around the dialog except Join (it keeps the prefilled name). */
  mustAnswer: boolean;
}

/** Resolves with the chosen name, or null if the person cancelled. */
export function askForName(dialog: HTMLDialogElement, { initialName, mustAnswer }: NameDialogOptions): Promise<string | null> {
  const form = dialog.querySelector('form');
  const input = dialog.querySelector<HTMLInputElement>('input[name="name"]');
  const cancel = dialog.querySelector<HTMLButtonElement>('button[value="cancel"]');
  if (!form || !input || !cancel) throw new Error('pad.html: #name-dialog needs a form, input[name=name] and a cancel button');

  input.value = initialName;
  input.maxLength = MAX_NAME_LENGTH;
  cancel.hidden = mustAnswer;

  return new Promise((resolve) => {
    const finish = (name: string | null): void => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('cancel', onCancel);
      cancel.removeEventListener('click', onCancelClick);
      dialog.close();
      resolve(name);
    };
    const onSubmit = (event: SubmitEvent): void => {
      event.preventDefault();
      finish(cleanName(input.value) || initialName);
    };
    const onCancel = (event: Event): void => {
      event.preventDefault();
      finish(mustAnswer ? initialName : null);
    };
    const onCancelClick = (): void => finish(null);

    const stopTrap = trapFocus(dialog);
    dialog.addEventListener('close', stopTrap, { once: true });
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('cancel', onCancel);
    cancel.addEventListener('click', onCancelClick);
    dialog.showModal();
    input.select();
  });
}
