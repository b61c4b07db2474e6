/**
 * Keeps Tab and Shift+Tab inside a modal dialog. `showModal` makes the page behind inert, but
 * Tab past the last control still leaves for the browser's own interface; here it wraps to the
 * first control instead, as the ARIA dialog pattern asks.
 */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

function focusableIn(dialog: HTMLElement): HTMLElement[] {
  return Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.hasAttribute('disabled') && el.tabIndex >= 0 && el.getClientRects().length > 0,
  );
}

/** Wraps focus inside `dialog` while it is open; returns the function that stops it. */
export function trapFocus(dialog: HTMLDialogElement): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab' || !dialog.open) return;
    const controls = focusableIn(dialog);
    if (controls.length === 0) return;
    const first = controls[0];
    const last = controls[controls.length - 1];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !dialog.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };
  dialog.addEventListener('keydown', onKey);
  return () => dialog.removeEventListener('keydown', onKey);
}
