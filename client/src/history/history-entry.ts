/**
 * The pad page's way into history, small enough to load with the page: a "History" button and
 * Mod-S (save the current revision with a label). The timeslider itself is loaded on demand.
 */
import type { PadViews } from '../board/board-tab.js';
import { shortcutLabel } from '../editor/shortcuts.js';
import type { TimesliderHandle } from './timeslider.js';

export interface HistoryEntryOptions {
  padId: string;
  /** Where the button goes. */
  buttonHost: HTMLElement;
  /** Hidden while the timeslider is open (the live editor and its toolbar). */
  live: HTMLElement[];
  /** The timeslider is inserted before this element. */
  before: HTMLElement;
  /** The Notes / Board tabs: history then shows the revision's notes or board, never the live ones. */
  views?: PadViews;
}

export function mountHistoryEntry(options: HistoryEntryOptions): void {
  let open: TimesliderHandle | null = null;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button history-button';
  button.textContent = 'History';
  button.title = `Timeslider, saved revisions, authorship (${shortcutLabel('Mod-s')} saves a revision)`;
  button.setAttribute('aria-pressed', 'false');
  button.dataset.testid = 'history-button';
  options.buttonHost.append(button);

  const close = () => {
    open = null;
    options.views?.setHistoryOpen(false);
    for (const el of options.live) el.hidden = options.views?.current() === 'board';
    button.setAttribute('aria-pressed', 'false');
  };

  const openHistory = async (startRev?: number) => {
    button.disabled = true;
    try {
      const { openTimeslider } = await import('./timeslider.js');
      const host = document.createElement('div');
      options.before.before(host);
      for (const el of options.live) el.hidden = true;
      options.views?.setHistoryOpen(true);
      open = await openTimeslider({
        padId: options.padId,
        host,
        views: options.views,
        startRev,
        onClose: () => {
          host.remove();
          close();
        },
      });
      button.setAttribute('aria-pressed', 'true');
    } catch (err) {
      close();
      void import('../dialogs/form-dialog.js').then(({ showMessage }) =>
        showMessage('History could not be opened', (err as Error).message),
      );
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener('click', () => (open ? open.close() : void openHistory()));

  // Etherpad's `/p/<pad>/timeslider#<rev>` arrives as `?timeslider` with the hash kept. Etherpad
  // counts from revision 0 (the pad's creation), so its revision n is our n + 1.
  const url = new URL(location.href);
  if (url.searchParams.has('timeslider')) {
    const etherpadRev = /^#\d+$/.test(url.hash) ? Number(url.hash.slice(1)) : null;
    url.searchParams.delete('timeslider');
    history.replaceState(null, '', url.pathname + url.search);
    void openHistory(etherpadRev === null ? undefined : etherpadRev + 1);
  }

  document.addEventListener('keydown', (event) => {
    if (open || !(event.metaKey || event.ctrlKey) || event.key.toLowerCase() !== 's') return;
    event.preventDefault();
    if (document.querySelector('dialog[open]')) return;
    void import('./revision-dialogs.js').then(({ saveRevisionDialog }) => saveRevisionDialog(options.padId));
  });
}
