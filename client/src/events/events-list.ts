/** The home page's events: current and upcoming first (as the API orders them), past ones after. */
import type { EventSummaryT } from '../../../common/event-schemas.js';
import { el } from '../dom.js';
import { eventsApi } from './event-api.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const day = (date: string) => dateFormat.format(Date.parse(`${date}T00:00:00Z`));
const STATUS_TEXT = { current: 'happening now', upcoming: 'upcoming', past: 'past' } as const;

function item(event: EventSummaryT): HTMLLIElement {
  const dates = event.startsOn === event.endsOn ? day(event.startsOn) : `${day(event.startsOn)} – ${day(event.endsOn)}`;
  return el(
    'li',
    { className: 'recent__item', attrs: { 'data-status': event.status } },
    el('a', { text: event.name, attrs: { href: event.url } }),
    el('span', { className: 'muted', text: `${dates} · ${STATUS_TEXT[event.status]} · ${event.teams} teams` }),
  );
}

/** Fills `section` (the home page's #events) with the events list; empty servers show nothing. */
export async function renderEventsList(section: HTMLElement): Promise<void> {
  let events: EventSummaryT[];
  try {
    ({ events } = await eventsApi.list());
  } catch {
    return;
  }
  if (events.length === 0) return;
  section.setAttribute('aria-labelledby', 'events-heading');
  section.removeAttribute('aria-label');
  section.className = 'recent';
  section.replaceChildren(
    el('h2', { text: 'Events', attrs: { id: 'events-heading' } }),
    el('ul', { className: 'recent__list', attrs: { 'data-testid': 'events-list' } }, ...events.map(item)),
  );
}
