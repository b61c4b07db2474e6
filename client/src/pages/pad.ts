/**
 * The pad page, `/p/<padId>` (the server serves this page for every pad id): the editor on a
 * Y.Doc kept in IndexedDB and synced over the pad's WebSocket, with save and connection
 * status, a toolbar and the people on the pad.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { normalizePadId } from '../../../common/pad-id.js';
import { CloseCode } from '../../../common/protocol.js';
import { PadConnection } from '../connection/pad-connection.js';
import { connectionText, saveText } from '../connection/status-text.js';
import { byId } from '../dom.js';
import { createPadEditor } from '../editor/create-editor.js';
import { mountPadPlace } from '../events/pad-place.js';
import { mountExportMenu } from '../export/export-menu.js';
import { mountHistoryEntry } from '../history/history-entry.js';
import { mountBoardTab } from '../board/board-tab.js';
import { mountLiveAuthorship } from '../authorship/live-authorship.js';
import { keepCaretLabelsOnScreen } from '../editor/caret-label-fit.js';
import { mountToolbar } from '../editor/toolbar.js';
import { markScrollEdges } from '../layout/scroll-edges.js';
import { askForName } from '../presence/name-dialog.js';
import { keepColorDistinct } from '../presence/distinct-color.js';
import { randomUserColor } from '../presence/palette.js';
import { mountPresenceList } from '../presence/presence-list.js';
import { guestName, loadUser, saveUser, type UserIdentity } from '../presence/user-identity.js';
import { DeviceCopy } from '../storage/device-copy.js';
import { padPath, recordPadVisit } from '../storage/recent-pads.js';
import { loadEditKey } from '../access/edit-key.js';
import { mountReadOnlyLabel } from '../access/read-only-label.js';
import { mountPadChrome } from './pad-chrome.js';
import { padSegment, readOnlyIdFromPath } from './pad-route.js';

function showInvalidPad(raw: string): void {
  document.title = 'Invalid pad name · Gatherpad';
  document.body.classList.add('pad-page--invalid');
  for (const id of ['toolbar', 'editor', 'pad-status', 'pad-tools']) byId(id).hidden = true;
  let shown = raw;
  try {
    shown = decodeURIComponent(raw);
  } catch {
    // Keep the raw, still-encoded form.
  }
  byId('pad-error-detail').textContent = shown === '' ? 'The address does not name a pad.' : `"${shown}" is not a valid pad name.`;
  byId('pad-error').hidden = false;
}

/**
 * Leaving the page while an edit is neither on the server nor yet in IndexedDB would lose it:
 * the browser asks first ("Leave site? Changes you made may not be saved."). An edit stored on
 * this device reaches the server the next time the pad is opened, so that alone asks nothing.
 */
function warnBeforeLosingEdits(connection: PadConnection, deviceCopy: DeviceCopy): void {
  window.addEventListener('beforeunload', (event) => {
    if (!connection.hasUnsavedEdits || deviceCopy.stored) return;
    event.preventDefault();
    // Older Chromium and Safari ask only when a return value is set.
    event.returnValue = '';
  });
}

/** `padId` is the read-only id when `readOnly` (a `/r/` page): the page never learns the pad id. */
function startPad(padId: string, readOnly = false): void {
  if (!readOnly) {
    document.title = `${padId} · Gatherpad`;
    const name = document.createElement('span');
    name.dataset.testid = 'pad-name';
    name.textContent = padId;
    byId('pad-title').replaceChildren(name);
  }
  // Canonical address in the bar (`/p/Nova-PTG` -> `/p/nova-ptg`) without a reload.
  if (!readOnly && location.pathname !== padPath(padId)) history.replaceState(null, '', padPath(padId) + location.search + location.hash);
  if (!readOnly) recordPadVisit(padId);
  // A read-only page must not learn the pad id, and a team's main pad id is `<event>-<team>`.
  if (!readOnly) void mountPadPlace(byId('pad-title'), padId);

  const storedUser = loadUser();
  let user: UserIdentity = storedUser ?? { name: guestName(), color: randomUserColor() };

  const doc = new Y.Doc();
  // Edits survive a reload while offline; synced to the server when the socket is back.
  const deviceCopy = new DeviceCopy(new IndexeddbPersistence(`gatherpad:${padId}`, doc), doc);
  const connection = new PadConnection(padId, doc, undefined, { editKey: readOnly ? null : loadEditKey(padId), readOnly });
  warnBeforeLosingEdits(connection, deviceCopy);
  const editor = createPadEditor({ element: byId('editor'), doc, provider: connection.provider, user });
  const toolbar = mountToolbar(byId('toolbar'), editor);
  keepCaretLabelsOnScreen(editor);
  mountExportMenu(byId('pad-tools'), { padId });
  const views = mountBoardTab({
    padId,
    doc,
    awareness: connection.provider.awareness,
    before: byId('toolbar'),
    notes: [byId('toolbar'), byId('editor')],
    readOnly: () => !connection.canWrite,
    onAccessChange: (listener) => void connection.onChange(listener),
    synced: connection.firstSync,
  });
  mountHistoryEntry({ padId, buttonHost: byId('pad-tools'), live: [byId('toolbar'), byId('editor')], before: byId('editor'), views });

  const connectionStatus = byId('connection-status');
  const saveStatus = byId('save-status');
  const alert = byId('pad-alert');
  const renderStatus = (): void => {
    const state = connection.connection;
    connectionStatus.textContent = connectionText(state);
    connectionStatus.className = `status status--${state.kind}`;
    const save = connection.save;
    saveStatus.textContent = saveText(save);
    saveStatus.className = `status save-status save-status--${save}`;
    if (state.kind === 'denied') {
      // A full pad's reason says what happened and what to do.
      alert.textContent = state.code === CloseCode.padFull ? state.reason : `You cannot edit this pad: ${state.reason}`;
      alert.hidden = false;
    }
  };
  connection.onChange(renderStatus);
  renderStatus();
  // The editor and its toolbar follow the connection's one answer, as the board and chat do.
  const followCanWrite = (): void => {
    if (editor.isEditable === connection.canWrite) return;
    editor.setEditable(connection.canWrite);
    toolbar.refresh();
  };
  connection.onChange(followCanWrite);
  followCanWrite();

  const dialog = byId<HTMLDialogElement>('name-dialog');
  const chooseName = async (mustAnswer: boolean): Promise<void> => {
    const name = await askForName(dialog, { initialName: user.name, mustAnswer });
    if (name === null) return;
    user = { ...user, name };
    // The colour may be this pad's alone (keepColorDistinct): the stored one stays.
    saveUser({ name, color: loadUser()?.color ?? user.color });
    editor.commands.updateUser({ ...user });
  };
  mountPresenceList({
    list: byId('presence-list'),
    awareness: connection.provider.awareness,
    onEditSelf: () => void chooseName(false),
  });
  // Two people with one colour could not tell their carets (or their shaded text) apart.
  keepColorDistinct(connection.provider.awareness, (color) => {
    user = { ...user, color };
    editor.commands.updateUser({ ...user });
  });
  if (readOnly) mountReadOnlyLabel(byId('pad-title'), padId, editor);
  const actions = mountPadChrome({ id: padId, readOnly, doc, editor, connection, me: () => user });
  markScrollEdges(byId('toolbar'));
  mountLiveAuthorship({ editor, doc, awareness: connection.provider.awareness, id: padId, toggleHost: actions });
  if (storedUser === null && !readOnly) void chooseName(true);
}

const readOnlyId = readOnlyIdFromPath(location.pathname);
const rawId = padSegment(location.pathname);
const padId = normalizePadId(rawId);
if (readOnlyId !== null) startPad(readOnlyId, true);
else if (padId === null) showInvalidPad(rawId);
else startPad(padId);
