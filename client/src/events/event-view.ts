/**
 * Renders an event: team cards (now/next, pads with live counts and last edit, iCal link, a
 * form to add a topic pad) and the schedule, one table per day (slots down, rooms across).
 * Everything user-provided goes in as text.
 */
import type { EventT, TeamPadT, TeamT } from '../../../common/event-schemas.js';
import { ago, el } from './dom.js';

export interface TeamActions {
  addTopic(team: string, topic: string): Promise<void>;
}

const liveText = (n: number) => (n === 0 ? 'nobody here' : n === 1 ? '1 here now' : `${n} here now`);

export function liveBadge(padId: string, count: number): HTMLSpanElement {
  return el('span', { className: 'live-count', text: liveText(count), attrs: { 'data-testid': `live-${padId}`, 'data-pad': padId, 'data-count': String(count) } });
}

/** Updates every live badge on the page from `{padId: count}`. */
export function applyCounts(root: ParentNode, counts: Record<string, number>): void {
  for (const badge of root.querySelectorAll<HTMLSpanElement>('.live-count[data-pad]')) {
    const count = counts[badge.dataset.pad ?? ''];
    if (count === undefined) continue;
    badge.dataset.count = String(count);
    badge.textContent = liveText(count);
  }
}

function padItem(pad: TeamPadT): HTMLLIElement {
  const label = pad.title ? `${pad.title}` : pad.main ? `${pad.id} (main pad)` : pad.id;
  const edited = pad.updatedAt ? el('time', { className: 'edited', text: `edited ${ago(pad.updatedAt)}`, attrs: { datetime: pad.updatedAt } }) : null;
  return el('li', {}, el('a', { text: label, attrs: { href: pad.url } }), liveBadge(pad.id, pad.live), edited);
}

function teamCard(event: EventT, team: TeamT, actions: TeamActions): HTMLLIElement {
  const card = el('li', { className: 'team', attrs: { 'data-testid': `team-${team.slug}` } });
  if (team.color) card.style.setProperty('--team-color', team.color);
  const board = el('div', { className: 'team__board' });
  if (team.now) board.append(el('p', {}, el('strong', { text: 'Now: ' }), team.now));
  for (const next of team.next) board.append(el('p', { className: 'muted' }, el('strong', { text: 'Next: ' }), next));
  const links = el('p', { className: 'team__links' }, el('a', { text: 'Calendar (iCal)', attrs: { href: `/e/${event.slug}/${team.slug}.ics` } }));
  if (team.padUrl) links.append(el('a', { text: 'Team pad elsewhere', attrs: { href: team.padUrl, rel: 'noopener noreferrer' } }));

  const input = el('input', { attrs: { type: 'text', placeholder: 'new topic, e.g. quotas', 'aria-label': `New topic pad for ${team.name}`, maxlength: '80' } });
  const error = el('p', { className: 'form-error', attrs: { role: 'alert' } });
  error.hidden = true;
  const form = el('form', { className: 'topic-form' }, input, el('button', { className: 'button', text: 'Add pad', attrs: { type: 'submit' } }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const topic = input.value.trim().replace(/\s+/g, '-');
    if (!topic) return;
    actions.addTopic(team.slug, topic).then(
      () => {
        input.value = '';
        error.hidden = true;
      },
      (err: unknown) => {
        error.textContent = err instanceof Error ? err.message : 'Could not add the pad.';
        error.hidden = false;
      },
    );
  });
  card.append(el('h3', { text: team.name }), board, el('ul', { className: 'team__pads' }, ...team.pads.map(padItem)), links, form, error);
  return card;
}

export function renderTeams(list: HTMLElement, event: EventT, actions: TeamActions): void {
  list.replaceChildren(...event.teams.map((t) => teamCard(event, t, actions)));
  if (event.teams.length === 0) list.append(el('li', { className: 'muted', text: 'No teams yet.' }));
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

export function renderSchedule(container: HTMLElement, event: EventT): void {
  const teams = new Map(event.teams.map((t) => [t.slug, t]));
  const booked = new Map(event.bookings.map((b) => [`${b.day}|${b.slot}|${b.room}`, b.team]));
  const tables = event.days
    .filter((day) => day.slots.length > 0)
    .map((day) => {
      // ptgbot labels days by weekday name, which the date already says.
      const label = day.label && !/^(mon|tue|wed|thu|fri|sat|sun)/i.test(day.label) ? ` · ${day.label}` : '';
      const caption = el('caption', { text: `${dayFormat.format(Date.parse(`${day.date}T00:00:00Z`))}${label} (${event.timeZone})` });
      const head = el('tr', {}, el('th', { text: 'Slot', attrs: { scope: 'col' } }), ...event.rooms.map((room) => el('th', { text: room, attrs: { scope: 'col' } })));
      const rows = day.slots.map((slot) =>
        el('tr', {}, el('th', { text: `${slot.start}–${slot.end}`, attrs: { scope: 'row', title: slot.name } }),
          ...event.rooms.map((room) => {
            const team = teams.get(booked.get(`${day.date}|${slot.name}|${room}`) ?? '');
            const cell = el('td', {}, team ? el('a', { text: team.name, attrs: { href: team.pads[0].url } }) : '');
            if (team) {
              cell.className = 'booked';
              if (team.color) cell.style.setProperty('--team-color', team.color);
            }
            return cell;
          })),
      );
      return el('div', { className: 'schedule-day' }, el('table', {}, caption, el('thead', {}, head), el('tbody', {}, ...rows)));
    });
  container.replaceChildren(...tables);
  if (tables.length === 0 || event.rooms.length === 0) container.replaceChildren(el('p', { className: 'muted', text: 'No schedule yet.' }));
}
