/**
 * The pad page's chrome around the editor, in one call from pad.ts: the read-only badge and
 * classes (`/r/<readOnlyId>` and viewers of pads with an edit key), the notice with the edit key
 * dialog, the header's actions (chat, share and shortcuts dialogs, the theme toggle), a page
 * title that follows the pad's first heading, the "server unreachable" notice and the offline
 * shell.
 */
import type { Editor } from '@tiptap/core';
import type * as Y from 'yjs';
import { askForEditKey, loadEditKey, NEEDS_KEY_REASON, saveEditKey, WRONG_KEY_REASON } from '../access/edit-key.js';
import { mountChatPanel } from '../chat/chat-panel.js';
import type { PadConnection } from '../connection/pad-connection.js';
import { openShareDialog } from '../dialogs/share-dialog.js';
import { bindPageShortcuts, openShortcutsDialog } from '../dialogs/shortcuts-dialog.js';
import { firstHeading } from '../editor/first-heading.js';
import { registerOfflineShell } from '../storage/offline-shell.js';
import { mountThemeToggle } from '../theme/theme.js';
import './pad-chrome.css';

export interface PadChromeOptions {
  /** The pad id, or the read-only id on `/r/` pages (the page never learns the pad id there). */
  id: string;
  readOnly: boolean;
  doc: Y.Doc;
  editor: Editor;
  connection: PadConnection;
  me(): { name: string; color: string };
}

function actionButton(text: string, label: string, testId: string, onClick: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.textContent = text;
  button.setAttribute('aria-label', label);
  button.title = label;
  button.dataset.testid = testId;
  button.addEventListener('click', onClick);
  return button;
}

/** Returns the header's action bar, for buttons added later. */
export function mountPadChrome(options: PadChromeOptions): HTMLElement {
  const { editor, connection, readOnly } = options;
  const header = document.querySelector<HTMLElement>('.pad-header') ?? document.body;
  document.body.classList.toggle('pad-page--readonly', readOnly);

  const badge = document.createElement('span');
  badge.className = 'readonly-badge';
  badge.dataset.testid = 'readonly-badge';
  badge.textContent = 'Read-only';
  badge.title = readOnly
    ? 'A read-only link: what others write appears here live.'
    : 'You can read this pad and follow the chat, not change it.';
  badge.hidden = true;
  document.getElementById('pad-title')?.after(badge);

  const notice = document.createElement('div');
  notice.className = 'pad-notice';
  notice.setAttribute('role', 'status');
  notice.dataset.testid = 'pad-notice';
  notice.hidden = true;
  const noticeText = document.createElement('span');
  const keyButton = actionButton('Enter edit key', 'Enter edit key', 'edit-key-open', () => void unlock());
  notice.append(noticeText, keyButton);
  (document.getElementById('pad-alert') ?? header).after(notice);

  const actions = document.createElement('div');
  actions.className = 'pad-actions';
  (document.getElementById('pad-tools') ?? header).append(actions);
  const chat = mountChatPanel({
    doc: options.doc,
    toggleHost: actions,
    panelHost: document.body,
    me: options.me,
    canWrite: () => connection.canWrite,
  });
  const share = (): void => void openShareDialog({ id: options.id, readOnly });
  actions.append(
    actionButton('Share', 'Share this pad', 'share-open', share),
    actionButton('?', 'Keyboard shortcuts', 'shortcuts-open', openShortcutsDialog),
  );
  mountThemeToggle(actions);

  let asking = false;
  const unlock = async (): Promise<void> => {
    if (asking) return;
    asking = true;
    const access = connection.access;
    const key = await askForEditKey(access.kind === 'viewer' && access.reason === WRONG_KEY_REASON);
    asking = false;
    if (!key) return;
    saveEditKey(options.id, key);
    connection.setEditKey(key);
  };

  let everLive = false;
  const render = (): void => {
    const access = connection.access;
    // Whether to show "Read-only"; what may be written is `connection.canWrite` (pad.ts).
    const viewer = readOnly || access.kind === 'viewer';
    badge.hidden = !viewer;
    const keyFixes = !readOnly && access.kind === 'viewer' && (access.reason === NEEDS_KEY_REASON || access.reason === WRONG_KEY_REASON);
    // Forget a remembered key the server refused (not one entered since).
    if (keyFixes && access.reason === WRONG_KEY_REASON && access.token !== null && loadEditKey(options.id) === access.token)
      saveEditKey(options.id, null);
    if (connection.connection.kind === 'live') everLive = true;
    // Nothing to show and never connected: say why instead of a blank page.
    const unreachable = !everLive && connection.connection.kind === 'offline' && options.doc.getXmlFragment('default').length === 0;
    // A read-only link says so once, in the badge beside the pad's name.
    if (keyFixes) noticeText.textContent = `${access.reason} You can read it and follow the chat.`;
    else if (unreachable)
      noticeText.textContent =
        'Cannot reach the server. Check your connection; anything you type is kept on this device and saved when it is back.';
    keyButton.hidden = !keyFixes;
    notice.hidden = !(keyFixes || unreachable);
    document.body.classList.toggle('pad-page--viewer', viewer);
    chat.refresh();
  };
  connection.onChange(render);
  render();

  // A read-only page is named by read-only-label.ts: it never knows the pad id.
  if (!readOnly) {
    const updateTitle = (): void => {
      document.title = `${firstHeading(editor) || options.id} · Gatherpad`;
    };
    editor.on('update', updateTitle);
    updateTitle();
  }

  bindPageShortcuts({
    openChat: () => chat.focusInput(),
    openShare: share,
    focusEditor: () => editor.commands.focus(),
  });
  registerOfflineShell();
  return actions;
}
