/**
 * The event page `/e/<event>`: what is on now and where, teams with their pads and live counts,
 * now/next, the schedule, search, links to the recap, and the moderators' now/next form.
 * Updates arrive over server-sent events; what is on now is checked again whenever a slot starts
 * or ends.
 */
import '../theme/apply-stored-theme.js';
import type { EventT, OpenItemsT } from '../../../common/event-schemas.js';
import { byId, el, highlighted } from '../dom.js';
import { ADMIN_TOKEN_KEY, ApiCallError, eventsApi } from '../events/event-api.js';
import { renderSchedule, renderTeams } from '../events/event-view.js';
import { applyCounts } from '../events/live-badge.js';
import { eventBlocks, onScheduleChange, renderNowStrip, whereabouts } from '../events/now-view.js';
import { renderOpenItems } from '../events/open-items-view.js';
import { setWhere } from '../events/team-card.js';

const slug = decodeURIComponent(location.pathname.split('/')[2] ?? '').toLowerCase();
let current: EventT | null = null;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const formatDay = (date: string) => dateFormat.format(Date.parse(`${date}T00:00:00Z`));

function render(event: EventT): void {
  current = event;
  const now = Date.now();
  const blocks = eventBlocks(event);
  document.title = `${event.name} · Gatherpad`;
  byId('event-name').textContent = event.name;
  byId('event-dates').textContent =
    `${formatDay(event.startsOn)}${event.endsOn !== event.startsOn ? ` – ${formatDay(event.endsOn)}` : ''} · ${event.timeZone} · ${event.teams.length} teams`;
  byId<HTMLAnchorElement>('recap-link').href = `/e/${event.slug}/recap`;
  renderNowStrip(byId('now-strip'), event, blocks, now);
  renderTeams(byId('teams'), event, blocks, now, {
    async addTopic(team, topic, title) {
      const pad = await eventsApi.addPad(event.slug, team, topic, title);
      location.assign(pad.url);
    },
  });
  for (const team of event.teams) showOpenItems(team.slug, team.name);
  renderSchedule(byId('schedule'), event, now);
  renderBoardTeams(event);
}

/** What is on now changed (a slot started or ended): the strip, the schedule and where each team is. */
function refreshTimes(): void {
  if (!current) return;
  const event = current;
  const now = Date.now();
  const blocks = eventBlocks(event);
  renderNowStrip(byId('now-strip'), event, blocks, now);
  renderSchedule(byId('schedule'), event, now);
  for (const team of event.teams) {
    const card = document.getElementById(`team-${team.slug}`);
    if (card) setWhere(card, null, whereabouts(event, blocks, team.slug, now));
  }
}

/** Runs at most `limit` tasks at once, in the order they come. */
function limited(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return (task) =>
    new Promise((resolve, reject) => {
      const run = () => {
        running += 1;
        task()
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            waiting.shift()?.();
          });
      };
      if (running < limit) run();
      else waiting.push(run);
    });
}

/** Open items from earlier events, asked once per team and page, two teams at a time. */
const openItems = new Map<string, Promise<OpenItemsT | null>>();
const askOpenItems = limited(2);
/** The open item lists someone opened (by test id): they stay open when the cards render again. */
const openedLists = new Set<string>();

function showOpenItems(team: string, name: string): void {
  let pending = openItems.get(team);
  if (!pending) {
    pending = askOpenItems(() => eventsApi.openItems(team, slug).catch(() => null));
    openItems.set(team, pending);
  }
  void pending.then((data) => {
    const holder = document.querySelector<HTMLElement>(`[data-open-items="${team}"]`);
    if (holder && data) renderOpenItems(holder, name, data, openedLists);
  });
}

function showError(message: string): void {
  const error = byId('event-error');
  error.textContent = message;
  error.hidden = false;
}

/** No such event: say how one comes to exist instead of showing its empty sections. */
function showMissing(message: string): void {
  document.title = 'Event not found · Gatherpad';
  byId('event-name').textContent = 'Event not found';
  showError(message);
  for (const part of document.querySelectorAll<HTMLElement>('[data-event-part]')) part.hidden = true;
  byId('event-missing').hidden = false;
}

function connectLive(): void {
  const status = byId('live-status');
  const source = new EventSource(eventsApi.liveUrl(slug));
  source.addEventListener('open', () => (status.textContent = 'Live'));
  source.addEventListener('error', () => (status.textContent = 'Reconnecting...'));
  source.addEventListener('event', (e) => render(JSON.parse((e as MessageEvent<string>).data) as EventT));
  source.addEventListener('counts', (e) => {
    const { pads } = JSON.parse((e as MessageEvent<string>).data) as { pads: Record<string, number> };
    applyCounts(document, pads);
  });
  source.addEventListener('gone', () => {
    source.close();
    status.textContent = 'This event is no longer available.';
  });
}

function setupSearch(): void {
  const form = byId<HTMLFormElement>('search-form');
  const input = byId<HTMLInputElement>('search-input');
  const status = byId('search-status');
  const list = byId<HTMLOListElement>('search-results');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    status.textContent = 'Searching...';
    eventsApi.search(slug, q).then(
      ({ results }) => {
        status.textContent =
          results.length === 0 ? `Nothing found for "${q}".` : `${results.length} pad${results.length === 1 ? '' : 's'} found.`;
        list.replaceChildren(
          ...results.map((hit) =>
            el(
              'li',
              {},
              el('a', { text: hit.title ?? hit.heading ?? hit.padId, attrs: { href: hit.url } }),
              el('span', { className: 'snippet' }, highlighted(hit.snippet, hit.highlights)),
            ),
          ),
        );
      },
      (err: unknown) => (status.textContent = err instanceof Error ? err.message : 'Search failed.'),
    );
  });
}

function renderBoardTeams(event: EventT): void {
  const select = byId<HTMLSelectElement>('board-team');
  const chosen = select.value;
  select.replaceChildren(...event.teams.map((t) => el('option', { text: t.name, attrs: { value: t.slug } })));
  if (chosen) select.value = chosen;
}

function setupBoard(): void {
  const form = byId<HTMLFormElement>('board-form');
  const select = byId<HTMLSelectElement>('board-team');
  const now = byId<HTMLInputElement>('board-now');
  const next = byId<HTMLTextAreaElement>('board-next');
  const token = byId<HTMLInputElement>('board-token');
  const status = byId('board-status');
  token.value = localStorage.getItem(ADMIN_TOKEN_KEY) ?? '';
  select.addEventListener('change', () => {
    const team = current?.teams.find((t) => t.slug === select.value);
    now.value = team?.now ?? '';
    next.value = team?.next.join('\n') ?? '';
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const secret = token.value.trim();
    if (secret) localStorage.setItem(ADMIN_TOKEN_KEY, secret);
    else localStorage.removeItem(ADMIN_TOKEN_KEY);
    const nextItems = next.value
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)
      .slice(0, 20);
    status.textContent = 'Saving...';
    eventsApi.setBoard(slug, select.value, now.value.trim() || null, nextItems, secret || null).then(
      () => (status.textContent = 'Saved.'),
      (err: unknown) => (status.textContent = err instanceof Error ? err.message : 'Could not save.'),
    );
  });
}

setupSearch();
setupBoard();
byId('teams').addEventListener(
  'toggle',
  (e) => {
    const details = e.target;
    if (!(details instanceof HTMLDetailsElement) || !details.dataset.testid) return;
    if (details.open) openedLists.add(details.dataset.testid);
    else openedLists.delete(details.dataset.testid);
  },
  // `toggle` does not bubble.
  true,
);
eventsApi.get(slug).then(
  (event) => {
    render(event);
    connectLive();
    onScheduleChange(() => current, refreshTimes);
  },
  (err: unknown) => {
    byId('live-status').hidden = true;
    if (err instanceof ApiCallError && err.status === 404) return showMissing(err.message);
    byId('event-name').textContent = 'Could not load the event';
    showError(`${err instanceof Error ? err.message : 'The server did not answer.'} Reload the page to try again.`);
  },
);
