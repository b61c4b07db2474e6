/**
 * Renders an event: team cards (team-card.ts) and the schedule, one table per day (slots down,
 * rooms across) with the slot running now marked. On a narrow screen a day's table scrolls
 * sideways inside its box, under a day heading that stays put, with the slot times pinned to
 * the left edge and shadows at the edges that have more rooms. Everything user-provided goes in
 * as text.
 */
import type { EventT } from '../../../common/event-schemas.js';
import { slotAt, type SessionBlock } from '../../../common/schedule.js';
import { el } from '../dom.js';
import { teamPadUrl, whereabouts } from './now-view.js';
import { teamCard, type TeamActions } from './team-card.js';

/**
 * (Re)renders the team cards. The server pushes the event again whenever a pad is edited (about
 * once a second while people type), so a topic being typed on a card survives, with the focus.
 */
export function renderTeams(list: HTMLElement, event: EventT, blocks: readonly SessionBlock[], now: number, actions: TeamActions): void {
  const typed = new Map(
    Array.from(list.querySelectorAll<HTMLInputElement>('.topic-form input'), (input) => [input.closest('.team')?.id, input]),
  );
  const focused =
    document.activeElement instanceof HTMLInputElement && list.contains(document.activeElement)
      ? document.activeElement.closest('.team')?.id
      : undefined;
  list.replaceChildren(...event.teams.map((t) => teamCard(event, t, whereabouts(event, blocks, t.slug, now), actions)));
  if (event.teams.length === 0) list.append(el('li', { className: 'muted', text: 'No teams yet.' }));
  for (const card of list.querySelectorAll<HTMLElement>('.team')) {
    const before = typed.get(card.id);
    const input = card.querySelector<HTMLInputElement>('.topic-form input');
    if (!before || !input) continue;
    input.value = before.value;
    if (card.id === focused) {
      input.focus();
      input.setSelectionRange(before.selectionStart, before.selectionEnd);
    }
  }
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

/**
 * (Re)renders the schedule. Each day's box keeps how far it was scrolled sideways: the page
 * renders again on every change pushed by the server and whenever a slot starts or ends, and
 * someone reading the last rooms on a phone must not be thrown back to the first.
 */
export function renderSchedule(container: HTMLElement, event: EventT, now: number): void {
  const scrolled = new Map(
    Array.from(container.querySelectorAll<HTMLElement>('.schedule-scroll[data-day]'), (box) => [box.dataset.day, box.scrollLeft]),
  );
  const teams = new Map(event.teams.map((t) => [t.slug, t]));
  const booked = new Map(event.bookings.map((b) => [`${b.day}|${b.slot}|${b.room}`, b.team]));
  const running = slotAt(event.days, event.timeZone, now);
  const tables = event.days
    .filter((day) => day.slots.length > 0)
    .map((day) => {
      // ptgbot labels days by weekday name, which the date already says.
      const label = day.label && !/^(mon|tue|wed|thu|fri|sat|sun)/i.test(day.label) ? ` · ${day.label}` : '';
      const headingId = `schedule-${day.date}`;
      const heading = el('h3', {
        text: `${dayFormat.format(Date.parse(`${day.date}T00:00:00Z`))}${label} (${event.timeZone})`,
        attrs: { id: headingId },
      });
      const head = el(
        'tr',
        {},
        el('th', { text: 'Slot', attrs: { scope: 'col' } }),
        ...event.rooms.map((room) => el('th', { text: room, attrs: { scope: 'col' } })),
      );
      const rows = day.slots.map((slot) => {
        const current = running?.day === day.date && running.slot === slot.name;
        const slotHeader = el('th', { text: `${slot.start}–${slot.end}`, attrs: { scope: 'row', title: slot.name } });
        if (current) slotHeader.append(el('span', { className: 'now-badge', text: 'now' }));
        const row = el(
          'tr',
          {},
          slotHeader,
          ...event.rooms.map((room) => {
            const team = teams.get(booked.get(`${day.date}|${slot.name}|${room}`) ?? '');
            const cell = el('td', {}, team ? el('a', { text: team.name, attrs: { href: teamPadUrl(team) } }) : '');
            if (team) {
              cell.className = 'booked';
              if (team.color) cell.style.setProperty('--team-color', team.color);
            }
            return cell;
          }),
        );
        if (current) {
          row.className = 'current';
          row.setAttribute('aria-current', 'time');
          row.dataset.testid = 'current-slot';
        }
        return row;
      });
      // The box scrolls, not the page: focusable and named, so keyboards can scroll it too.
      return el(
        'div',
        { className: 'schedule-day' },
        heading,
        el(
          'div',
          { className: 'schedule-scroll', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': headingId, 'data-day': day.date } },
          el('table', { attrs: { 'aria-labelledby': headingId } }, el('thead', {}, head), el('tbody', {}, ...rows)),
        ),
      );
    });
  container.replaceChildren(...tables);
  if (tables.length === 0 || event.rooms.length === 0) container.replaceChildren(el('p', { className: 'muted', text: 'No schedule yet.' }));
  for (const box of container.querySelectorAll<HTMLElement>('.schedule-scroll[data-day]')) {
    const left = scrolled.get(box.dataset.day);
    if (left) box.scrollLeft = left;
  }
}
