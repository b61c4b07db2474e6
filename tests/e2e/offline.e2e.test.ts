/**
 * Offline editing in Chromium with two separate contexts: A goes offline (`setOffline(true)`)
 * and types while B types online; the pad says "Offline: your changes are kept on this
 * device"; A reconnects, both converge and nothing is lost, and "All changes saved" appears
 * only once the server has the text. Leaving while an edit is neither on the server nor yet in
 * IndexedDB asks first. A reload while offline still shows the pad (service worker shell +
 * IndexedDB).
 */
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { padText, statusOf, typeAtEnd, WAIT, type Person } from '../helpers/pad-people.js';

describe.skipIf(skipWithoutBrowser)('offline editing in Chromium', () => {
  const suite = useBrowserSuite();
  const join = (padId: string, name: string, color: string): Promise<Person> => suite.openLive(`/p/${padId}`, { name, color });

  /** The pad's text without other people's caret labels. */
  const cleanText = (person: Person): Promise<string> =>
    person.page.getByLabel('Pad content').evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
      return [...copy.children].map((block) => block.textContent ?? '').join('\n');
    });

  /**
   * Waits until the page's IndexedDB has committed every update written so far: a read of the
   * store starts only after the read-write transactions created before it finish. A reload
   * aborts those still pending; under load they can lag the server's "saved" by seconds.
   */
  const storedOnDevice = (person: Person, padId: string): Promise<number> =>
    person.page.evaluate(
      (name) =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('updates', 'readonly');
            const count = tx.objectStore('updates').count();
            tx.oncomplete = () => {
              db.close();
              resolve(count.result);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      `gatherpad:${padId}`,
    );

  /** Whether the page would ask before being left: its beforeunload handlers, run on a test event. */
  const wouldAsk = (person: Person): Promise<boolean> =>
    person.page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });

  /**
   * Holds the pad's IndexedDB store with a read-write transaction that keeps itself busy (at
   * most 60 s), so the page's next writes wait behind it, as they do on a slow or busy device.
   */
  const holdDeviceStore = (person: Person, padId: string): Promise<void> =>
    person.page.evaluate(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const until = Date.now() + 60_000;
            const held = window as unknown as { holdingDeviceStore: boolean };
            held.holdingDeviceStore = true;
            const store = db.transaction('updates', 'readwrite').objectStore('updates');
            const spin = (): void => {
              if (held.holdingDeviceStore && Date.now() < until) store.count().onsuccess = spin;
            };
            spin();
            store.transaction.oncomplete = () => db.close();
            resolve();
          };
        }),
      `gatherpad:${padId}`,
    );

  const releaseDeviceStore = (person: Person): Promise<void> =>
    person.page.evaluate(() => {
      (window as unknown as { holdingDeviceStore: boolean }).holdingDeviceStore = false;
    });

  const stored = async (padId: string): Promise<string> => (await fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}/export.md`)).text();

  it('keeps editing offline, merges on reconnect, and says saved only once the server has it', async () => {
    const padId = `off-${randomPadId()}`;
    const ada = await join(padId, 'Ada', '#e03131');
    const grace = await join(padId, 'Grace', '#1c7ed6');
    await typeAtEnd(ada.page, 'Shared start.');
    await expect.poll(() => padText(grace.page), WAIT).toContain('Shared start.');
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');

    await ada.context.setOffline(true);
    await expect.poll(() => statusOf(ada.page, 'connection-status'), WAIT).toBe('Offline, reconnecting...');
    await ada.page.getByLabel('Pad content').click();
    await ada.page.keyboard.press('Control+End');
    await ada.page.keyboard.press('Enter');
    await ada.page.keyboard.type('Ada wrote this on the train.');
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('Offline: your changes are kept on this device');

    await grace.page.getByLabel('Pad content').click();
    await grace.page.keyboard.press('Control+Home');
    await grace.page.keyboard.type('Grace online: ');
    await expect.poll(() => statusOf(grace.page, 'save-status'), WAIT).toBe('All changes saved');
    // The server has Grace's text but not Ada's offline text, and Ada still says offline.
    expect(await stored(padId)).toContain('Grace online: ');
    expect(await stored(padId)).not.toContain('on the train');
    expect(await statusOf(ada.page, 'save-status')).toBe('Offline: your changes are kept on this device');
    expect(await padText(grace.page)).not.toContain('on the train');

    await ada.context.setOffline(false);
    await expect.poll(() => statusOf(ada.page, 'save-status'), WAIT).toBe('All changes saved');
    // "Saved" means the server has it.
    expect(await stored(padId)).toContain('Ada wrote this on the train.');
    const expected = 'Grace online: Shared start.\nAda wrote this on the train.';
    for (const person of [ada, grace]) await expect.poll(() => cleanText(person), WAIT).toBe(expected);
    expect([...ada.errors, ...grace.errors]).toEqual([]);
  }, 180_000);

  it('asks before the page is left while an edit is neither on the server nor stored on this device', async () => {
    const padId = `off-${randomPadId()}`;
    const mae = await join(padId, 'Mae', '#ae3ec9');
    await typeAtEnd(mae.page, 'Saved before the train.');
    await expect.poll(() => statusOf(mae.page, 'save-status'), WAIT).toBe('All changes saved');
    await storedOnDevice(mae, padId);
    expect(await wouldAsk(mae)).toBe(false);

    await mae.context.setOffline(true);
    await expect.poll(() => statusOf(mae.page, 'connection-status'), WAIT).toBe('Offline, reconnecting...');
    await holdDeviceStore(mae, padId);
    await typeAtEnd(mae.page, ' Typed offline.');
    await expect.poll(() => statusOf(mae.page, 'save-status'), WAIT).toBe('Offline: your changes are kept on this device');
    // The edit's IndexedDB write waits behind the hold: leaving now would lose it.
    expect(await wouldAsk(mae)).toBe(true);
    const dialog = mae.page.waitForEvent('dialog', { timeout: WAIT.timeout });
    await mae.page.close({ runBeforeUnload: true });
    const asked = await dialog;
    expect(asked.type()).toBe('beforeunload');
    await asked.dismiss();
    expect(mae.page.isClosed()).toBe(false);

    // Once the write is through, the edit is safe on this device: leaving asks nothing.
    await releaseDeviceStore(mae);
    await expect.poll(() => wouldAsk(mae), WAIT).toBe(false);
    expect(await statusOf(mae.page, 'save-status')).toBe('Offline: your changes are kept on this device');
    const closed = mae.page.waitForEvent('close', { timeout: WAIT.timeout });
    await mae.page.close({ runBeforeUnload: true });
    await closed;
    expect(mae.errors).toEqual([]);
  }, 180_000);

  it('shows the pad after a reload while offline', async () => {
    const padId = `off-${randomPadId()}`;
    const linus = await join(padId, 'Linus', '#2f9e44');
    await typeAtEnd(linus.page, 'Notes that must survive a reload offline');
    await expect.poll(() => statusOf(linus.page, 'save-status'), WAIT).toBe('All changes saved');
    // The service worker controls the page once it has cached the shell.
    await linus.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: WAIT.timeout });
    await storedOnDevice(linus, padId);

    await linus.context.setOffline(true);
    await linus.page.reload();
    await linus.page.getByLabel('Pad content').waitFor({ timeout: WAIT.timeout });
    await expect.poll(() => padText(linus.page), WAIT).toContain('Notes that must survive a reload offline');
    await expect.poll(() => statusOf(linus.page, 'connection-status'), WAIT).toBe('Offline, reconnecting...');

    // Typing offline after the reload, then back online: saved on the server.
    await typeAtEnd(linus.page, ' plus an offline line');
    await expect.poll(() => statusOf(linus.page, 'save-status'), WAIT).toBe('Offline: your changes are kept on this device');
    await linus.context.setOffline(false);
    await expect.poll(() => statusOf(linus.page, 'save-status'), WAIT).toBe('All changes saved');
    expect(await stored(padId)).toContain('plus an offline line');
    expect(linus.errors).toEqual([]);
  }, 180_000);
});
