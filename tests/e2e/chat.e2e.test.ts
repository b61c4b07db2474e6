/**
 * Pad chat in Chromium: two people in separate contexts chat live, messages are stored with
 * the pad (a newcomer reads them), mentions of my name are highlighted, links are clickable
 * only for safe schemes, the unread badge counts while the panel is hidden, and "Load earlier"
 * pages through older messages.
 */
import { describe, expect, it } from 'vitest';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browser-suite.js';
import { statusOf, WAIT, type Person } from '../helpers/pad-people.js';

describe.skipIf(skipWithoutBrowser)('pad chat in Chromium', () => {
  const suite = useBrowserSuite();
  const join = (padId: string, name: string, color: string): Promise<Person> => suite.openLive(`/p/${padId}`, { name, color });

  async function say(person: Person, text: string): Promise<void> {
    const input = person.page.locator('#chat-input');
    if (!(await input.isVisible())) await person.page.getByTestId('chat-toggle').click();
    await input.fill(text);
    await input.press('Enter');
  }

  const messages = (person: Person) => person.page.locator('.chat__message');

  it('carries messages live between two people, keeps them with the pad, and renders them safely', async () => {
    const padId = `chat-${randomPadId()}`;
    const ada = await join(padId, 'Ada', '#e03131');
    const grace = await join(padId, 'Grace', '#1c7ed6');

    // Empty state first.
    await expect.poll(() => ada.page.locator('.chat__empty').innerText(), WAIT).toContain('No messages yet');

    await say(ada, 'Hello Grace, notes at https://example.org/agenda. and javascript:alert(1)');
    await expect.poll(() => messages(grace).count(), WAIT).toBe(1);
    const received = messages(grace).first();
    expect(await received.locator('.chat__author').innerText()).toBe('Ada');
    expect(await received.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Grace's name is mentioned: highlighted for her, not for Ada (who wrote it).
    expect(await received.getAttribute('class')).toContain('chat__message--mention');
    expect(await messages(ada).first().getAttribute('class')).not.toContain('chat__message--mention');
    // Only the https link is a link; the trailing full stop is not part of it.
    const links = received.locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://example.org/agenda');
    expect(await links.first().getAttribute('rel')).toBe('noopener noreferrer');
    expect(await received.locator('.chat__text').innerText()).toContain('javascript:alert(1)');

    await say(grace, '<img src=x onerror=alert(1)> hi Ada');
    await expect.poll(() => messages(ada).count(), WAIT).toBe(2);
    expect(await messages(ada).nth(1).locator('img').count()).toBe(0);
    expect(await messages(ada).nth(1).locator('.chat__text').innerText()).toBe('<img src=x onerror=alert(1)> hi Ada');

    // Stored with the pad: a newcomer with empty storage reads the history from the server.
    await expect.poll(() => statusOf(grace.page, 'save-status'), WAIT).toBe('All changes saved');
    const linus = await join(padId, 'Linus', '#2f9e44');
    if (!(await linus.page.locator('#chat-input').isVisible())) await linus.page.getByTestId('chat-toggle').click();
    await expect.poll(() => messages(linus).count(), WAIT).toBe(2);

    for (const person of [ada, grace, linus]) expect(person.errors).toEqual([]);
  }, 180_000);

  it('counts unread messages while hidden, remembers hidden or open, and pages with "Load earlier"', async () => {
    const padId = `chat-${randomPadId()}`;
    const ada = await join(padId, 'Ada', '#e03131');
    const grace = await join(padId, 'Grace', '#1c7ed6');

    // Grace hides the chat; Ada writes 55 messages.
    if (await grace.page.locator('#chat-input').isVisible()) await grace.page.getByRole('button', { name: 'Hide chat' }).click();
    await expect.poll(() => grace.page.getByTestId('chat-panel').isVisible(), WAIT).toBe(false);
    for (let i = 1; i <= 55; i += 1) await say(ada, `message ${i}`);
    await expect.poll(() => grace.page.getByTestId('chat-unread').innerText(), WAIT).toBe('55');

    // Hidden is remembered across a reload (badge still counts: what arrived is unseen on this page).
    await grace.page.reload();
    await expect.poll(() => statusOf(grace.page, 'connection-status'), WAIT).toBe('Live');
    expect(await grace.page.getByTestId('chat-panel').isVisible()).toBe(false);

    await grace.page.getByTestId('chat-toggle').click();
    await expect.poll(() => grace.page.getByTestId('chat-unread').isVisible(), WAIT).toBe(false);
    await expect.poll(() => messages(grace).count(), WAIT).toBe(50);
    expect(await messages(grace).first().locator('.chat__text').innerText()).toBe('message 6');
    await grace.page.getByRole('button', { name: 'Load earlier messages' }).click();
    await expect.poll(() => messages(grace).count(), WAIT).toBe(55);
    expect(await messages(grace).first().locator('.chat__text').innerText()).toBe('message 1');
    expect(await grace.page.getByRole('button', { name: 'Load earlier messages' }).isVisible()).toBe(false);

    // Open is remembered too.
    await grace.page.reload();
    await expect.poll(() => grace.page.getByTestId('chat-panel').isVisible(), WAIT).toBe(true);

    // The cap: the input takes at most 2,000 characters.
    expect(await ada.page.locator('#chat-input').getAttribute('maxlength')).toBe('2000');
    for (const person of [ada, grace]) expect(person.errors).toEqual([]);
  }, 180_000);
});
