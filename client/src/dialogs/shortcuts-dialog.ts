/**
 * Keyboard access for the pad page: `?` (outside text fields) or Mod-/ (anywhere, including
 * the editor) opens a dialog listing every shortcut; Alt+Shift+C opens the chat, Alt+Shift+S
 * the share dialog, Alt+Shift+E moves focus to the editor. Formatting keys come from the
 * toolbar's own list, so the dialog never disagrees with the tooltips.
 */
import { trapFocus } from './focus-trap.js';
import './modal-dialog.css';
import './shortcuts-dialog.css';
import { TOOLBAR_GROUPS } from '../editor/toolbar-buttons.js';
import { shortcutLabel } from '../editor/shortcuts.js';

export interface PageShortcuts {
  openChat(): void;
  openShare(): void;
  focusEditor(): void;
}

const PAGE_KEYS: readonly { keys: string; label: string }[] = [
  { keys: '?', label: 'Show keyboard shortcuts (outside the editor)' },
  { keys: 'Mod-/', label: 'Show keyboard shortcuts (anywhere)' },
  { keys: 'Alt-Shift-e', label: 'Go to the pad text' },
  { keys: 'Alt-Shift-c', label: 'Open the chat and write a message' },
  { keys: 'Alt-Shift-s', label: 'Share this pad' },
  { keys: 'Escape', label: 'Close a dialog or the chat' },
];

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

function list(entries: readonly { keys: string; label: string }[]): HTMLDListElement {
  const dl = document.createElement('dl');
  dl.className = 'shortcut-list';
  for (const entry of entries) {
    const dt = document.createElement('dt');
    const kbd = document.createElement('kbd');
    kbd.textContent = entry.keys.length === 1 || entry.keys === 'Escape' ? entry.keys : shortcutLabel(entry.keys);
    dt.append(kbd);
    const dd = document.createElement('dd');
    dd.textContent = entry.label;
    dl.append(dt, dd);
  }
  return dl;
}

export function openShortcutsDialog(): void {
  if (document.querySelector('[data-testid="shortcuts-dialog"]')) return;
  const dialog = document.createElement('dialog');
  dialog.className = 'modal-dialog';
  dialog.dataset.testid = 'shortcuts-dialog';
  dialog.setAttribute('aria-labelledby', 'shortcuts-heading');
  const heading = document.createElement('h2');
  heading.id = 'shortcuts-heading';
  heading.textContent = 'Keyboard shortcuts';
  const pageHeading = document.createElement('h3');
  pageHeading.textContent = 'On the page';
  const formatHeading = document.createElement('h3');
  formatHeading.textContent = 'In the editor';
  const formatting = TOOLBAR_GROUPS.flat()
    .filter((spec) => spec.shortcut)
    .map((spec) => ({ keys: spec.shortcut ?? '', label: spec.label }));
  const tab = document.createElement('p');
  tab.className = 'muted';
  tab.textContent = 'Tab and Shift+Tab move between buttons and panels; in the editor Tab indents lists.';
  const actions = document.createElement('div');
  actions.className = 'modal-dialog__actions';
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'button button--primary';
  close.textContent = 'Close';
  close.addEventListener('click', () => dialog.close());
  actions.append(close);
  dialog.append(heading, pageHeading, list(PAGE_KEYS), formatHeading, list(formatting), tab, actions);
  const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const stopTrap = trapFocus(dialog);
  dialog.addEventListener('close', () => {
    stopTrap();
    dialog.remove();
    returnTo?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}

/** Listens for the page shortcuts on `window`; returns a function that stops listening. */
export function bindPageShortcuts(actions: PageShortcuts): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.isComposing) return;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && !event.altKey && event.key === '/') {
      event.preventDefault();
      openShortcutsDialog();
    } else if (event.key === '?' && !mod && !event.altKey && !isTyping(event.target) && !document.querySelector('dialog[open]')) {
      event.preventDefault();
      openShortcutsDialog();
    } else if (event.altKey && event.shiftKey && !mod) {
      const action = { KeyC: actions.openChat, KeyS: actions.openShare, KeyE: actions.focusEditor }[event.code];
      if (action) {
        event.preventDefault();
        action();
      }
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
