/**
 * On a team's card, the action items still open in its pads at earlier events ("Open from
 * 2026.1 PTG: 4 items"), with a button that copies them for the new pad: as markdown tasks in
 * text, and as a task list in HTML, which a pad turns into real task items when pasted.
 */
import type { OpenItemsT } from '../../../common/event-schemas.js';
import { copyToClipboard } from './copy.js';
import { el } from '../dom.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** A task list a pad's editor reads back as unchecked task items. */
function taskListHtml(texts: readonly string[]): string {
  const items = texts.map((t) => `<li data-type="taskItem" data-checked="false"><p>${escapeHtml(t)}</p></li>`).join('');
  return `<ul data-type="taskList">${items}</ul>`;
}

/** Fills `holder`; the lists whose test ids are in `opened` start open (the page renders cards again often). */
export function renderOpenItems(holder: HTMLElement, teamName: string, open: OpenItemsT, opened: ReadonlySet<string>): void {
  const parts = open.events
    .filter((e) => e.items.length > 0)
    .map((event) => {
      const count = `${event.items.length} item${event.items.length === 1 ? '' : 's'}`;
      const status = el('span', { className: 'muted', attrs: { role: 'status' } });
      const copy = el('button', {
        className: 'button',
        text: 'Copy for the new pad',
        attrs: { type: 'button', 'aria-label': `Copy for the new pad: ${teamName}'s ${count} open from ${event.name}` },
      });
      copy.addEventListener('click', () => {
        const markdown = event.items.map((i) => i.markdown).join('\n');
        copyToClipboard(`${markdown}\n`, taskListHtml(event.items.map((i) => i.text))).then(
          (done) =>
            (status.textContent = done ? `Copied ${count}: paste them into the pad.` : 'Could not copy; select the items and copy them.'),
          () => (status.textContent = 'Could not copy.'),
        );
      });
      const id = `open-items-${open.team}-${event.slug}`;
      const details = el(
        'details',
        { className: 'open-items', attrs: { 'data-testid': id } },
        el('summary', { text: `Open from ${event.name}: ${count}` }),
        el('ul', {}, ...event.items.map((i) => el('li', {}, el('a', { text: i.text, attrs: { href: i.padUrl } })))),
        el('p', { className: 'open-items__actions' }, copy, status),
      );
      details.open = opened.has(id);
      return details;
    });
  holder.replaceChildren(...parts);
}
