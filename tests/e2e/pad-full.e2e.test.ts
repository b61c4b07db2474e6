/**
 * A full pad in Chromium (issue 23 item 12): a change past the pad's size cap is refused with
 * close code 4413, and the page says the pad is full and what to do, instead of reconnecting
 * again and again (each reconnect would send the refused change once more).
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { MessageType, SyncMessageType } from '../../common/protocol.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { frameKind, openRaw, syncFrame, updateFrameOf, waitUntil } from '../helpers/clients.js';
import { notesSeed } from '../helpers/notes-text.js';
import { statusOf, typeAtEnd, WAIT } from '../helpers/pad-people.js';

const CAP = 32 * 1024;

describe.skipIf(skipWithoutBrowser)('a full pad in Chromium', () => {
  const suite = useBrowserSuite({ env: { MAX_PAD_BYTES: String(CAP) } });

  it('says the pad is full and stops reconnecting', async () => {
    const padId = `full-${randomPadId()}`;
    // Notes that leave less room than one typed character's update.
    const filler = await openRaw(`${suite.server.wsUrl}/${padId}?ack=1`);
    filler.ws.send(syncFrame(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())));
    const overhead = notesSeed('x'.repeat(CAP - 100)).length - (CAP - 100);
    const seed = notesSeed('x'.repeat(CAP - 8 - overhead));
    expect(seed.length).toBe(CAP - 8);
    filler.ws.send(updateFrameOf(seed));
    await waitUntil(() => filler.frames.some((frame) => frameKind(frame).type === MessageType.saved), 'the notes stored', WAIT.timeout);
    filler.ws.close();

    const ada = await suite.openLive(`/p/${padId}`, { name: 'Ada', color: '#e03131' });
    let sockets = 0;
    ada.page.on('websocket', () => (sockets += 1));
    await typeAtEnd(ada.page, 'one more line that does not fit');

    await expect.poll(() => statusOf(ada.page, 'connection-status'), WAIT).toBe('Pad full');
    await expect
      .poll(() => ada.page.locator('#pad-alert').innerText(), WAIT)
      .toMatch(/^The pad is full \(32 KB\): your last change was not saved\./);
    expect(await ada.page.getByLabel('Pad content').getAttribute('contenteditable')).toBe('false');

    // Someone else opens the pad meanwhile (seconds on a busy machine): Ada's page made no new socket.
    const grace = await suite.openLive(`/p/${padId}`, { name: 'Grace', color: '#1c7ed6' });
    expect(await statusOf(grace.page, 'connection-status')).toBe('Live');
    expect(sockets).toBe(0);
    expect(await statusOf(ada.page, 'connection-status')).toBe('Pad full');
    expect(ada.errors).toEqual([]);
  }, 180_000);
});
