/**
 * The pad page's export menu: download the pad as .md, .html, .txt or .etherpad (converted on
 * the server, `GET /api/v1/pads/<padId>/export.<ext>?download=1`), copy its markdown to the
 * clipboard, a print view, and the import dialog. Markdown itself never runs in the browser.
 */
import './print.css';
import { openImportDialog } from './import-dialog.js';

export interface ExportMenuOptions {
  padId: string;
  /** Shows a short message to the person (for example, "Markdown copied"); a toast by default. */
  notify?(message: string): void;
}

const FORMATS = [
  { ext: 'md', label: 'Markdown (.md)' },
  { ext: 'html', label: 'Web page (.html)' },
  { ext: 'txt', label: 'Plain text (.txt)' },
  { ext: 'etherpad', label: 'Etherpad, with history (.etherpad)' },
] as const;

export function exportUrl(padId: string, ext: string, download: boolean): string {
  return `/api/v1/pads/${encodeURIComponent(padId)}/export.${ext}${download ? '?download=1' : ''}`;
}

export function mountExportMenu(host: HTMLElement, opts: ExportMenuOptions): HTMLDetailsElement {
  const options = { padId: opts.padId, notify: opts.notify ?? toast };
  const menu = document.createElement('details');
  menu.className = 'export-menu';
  menu.dataset.testid = 'export-menu';
  const summary = document.createElement('summary');
  summary.className = 'button export-menu__toggle';
  summary.textContent = 'Export';
  menu.append(summary);

  const list = document.createElement('div');
  list.className = 'export-menu__items';
  list.setAttribute('role', 'menu');
  for (const format of FORMATS) {
    const link = document.createElement('a');
    link.className = 'export-menu__item';
    link.href = exportUrl(options.padId, format.ext, true);
    link.download = `${options.padId}.${format.ext}`;
    link.textContent = `Download ${format.label}`;
    link.setAttribute('role', 'menuitem');
    link.dataset.testid = `export-${format.ext}`;
    link.addEventListener('click', () => (menu.open = false));
    list.append(link);
  }
  list.append(
    menuButton('Copy markdown', 'export-copy', async () => {
      const res = await fetch(exportUrl(options.padId, 'md', false));
      if (!res.ok) throw new Error(await errorMessage(res));
      await navigator.clipboard.writeText(await res.text());
      options.notify('Markdown copied to the clipboard.');
    }),
    menuButton('Print…', 'export-print', () => window.print()),
    menuButton('Import…', 'import-open', () => openImportDialog(options.padId, options.notify)),
  );
  menu.append(list);

  function menuButton(label: string, testid: string, run: () => unknown): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'export-menu__item';
    button.textContent = label;
    button.setAttribute('role', 'menuitem');
    button.dataset.testid = testid;
    button.addEventListener('click', () => {
      menu.open = false;
      Promise.resolve()
        .then(run)
        .catch((err: unknown) => options.notify(err instanceof Error ? err.message : 'That did not work; try again.'));
    });
    return button;
  }

  // Close when clicking elsewhere or pressing Escape.
  document.addEventListener('click', (event) => {
    if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
  });
  menu.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && menu.open) {
      menu.open = false;
      summary.focus();
    }
  });
  host.append(menu);
  return menu;
}

/** The `message` of an API error body, or a plain fallback. */
export async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON
  }
  return res.status === 404 ? 'This pad has no content yet.' : `The server answered ${res.status}.`;
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** A short message at the bottom of the page, read out by screen readers. */
function toast(message: string): void {
  let box = document.querySelector<HTMLElement>('.export-toast');
  if (!box) {
    box = document.createElement('div');
    box.className = 'export-toast';
    box.setAttribute('role', 'status');
    box.dataset.testid = 'export-toast';
    document.body.append(box);
  }
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (box.hidden = true), 5000);
}
