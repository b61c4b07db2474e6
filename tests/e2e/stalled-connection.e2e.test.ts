/**
 * A server that stops answering (SIGSTOP: a wedged process, a dead proxy) is shown within
 * seconds, not after the y-websocket provider's 30 s watchdog: the page pings a quiet server
 * and gives up on a socket whose ping or edits go unanswered, says so, and reconnects. The
 * edits typed meanwhile are kept and saved once the server is back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { closeWriters, openWriter, typeAtPace, type Writer } from '../helpers/coediting.js';
import { statusOf, WAIT } from '../helpers/pad-people.js';
import { startServer, type ChildServer } from '../helpers/server.js';

/** Well under the ~40 s it took before, with room for a busy CI machine. */
const NOTICED = { timeout: 15_000, interval: 100 };

describe.skipIf(skipWithoutBrowser)('a stalled connection', () => {
  let server: ChildServer;
  let writers: Writer[] = [];

  beforeEach(async () => {
    server = await startServer();
  }, 60_000);
  afterEach(async () => {
    await closeWriters(writers);
    writers = [];
    server.process.kill('SIGCONT');
    await server.stop();
  });

  it('says edits are not saved yet within seconds, and saves them once the server answers again', async () => {
    const padId = `stall-${randomPadId()}`;
    const ada = await openWriter(`${server.baseUrl}/p/${padId}`, { name: 'Ada', color: '#e03131' });
    writers.push(ada);
    await ada.page.getByLabel('Pad content').click();
    await typeAtPace(ada.page, 'before the stall. ', 30);
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');

    server.process.kill('SIGSTOP');
    await typeAtPace(ada.page, 'typed while stalled', 30);
    await expect.poll(() => statusOf(ada.page, 'save-status'), NOTICED).toBe('Not saved yet: connection stalled');
    expect(await statusOf(ada.page, 'connection-status')).toBe('Connection stalled, reconnecting...');

    server.process.kill('SIGCONT');
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');
    expect(await statusOf(ada.page, 'connection-status')).toBe('Live');
    const stored = await (await fetch(`${server.baseUrl}/api/v1/pads/${padId}/export.txt`)).text();
    expect(stored).toContain('before the stall. typed while stalled');
  }, 120_000);

  it('notices a stalled server on a quiet pad too, by its unanswered ping', async () => {
    const padId = `stall-${randomPadId()}`;
    const ada = await openWriter(`${server.baseUrl}/p/${padId}`, { name: 'Ada', color: '#e03131' });
    writers.push(ada);
    server.process.kill('SIGSTOP');
    await expect.poll(() => statusOf(ada.page, 'connection-status'), NOTICED).toBe('Connection stalled, reconnecting...');
    server.process.kill('SIGCONT');
    await expect.poll(() => statusOf(ada.page, 'connection-status'), WAIT).toBe('Live');
    expect(ada.errors).toEqual([]);
  }, 120_000);
});
