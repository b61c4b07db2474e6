/**
 * What is on now, and where (what ptgbot's page shows): the "Now" strip at the top of the event
 * page, with every room's current team and a link to its pad (or, between sessions, what starts
 * next today), and the "now in Bexar until 16:00" line of a team card. Times are the event's
 * wall-clock times, as the schedule shows them.
 */
import type { EventT, TeamT } from '../../../common/event-schemas.js';
import { dateIn, nextChange, sessionBlocks, teamWhereabouts, weekday, type SessionBlock } from '../../../common/schedule.js';
import { el } from '../dom.js';

/** Longest wait before the page checks what is on again, ms (the clock can jump). */
const MAX_WAIT_MS = 60_000;

export function eventBlocks(event: EventT): SessionBlock[] {
  return sessionBlocks(event.days, event.bookings, event.timeZone);
}

/** The team's pad link: its own pad URL when it has one elsewhere, else its main pad. */
export function teamPadUrl(team: TeamT): string {
  return team.padUrl ?? team.pads[0]?.url ?? '#';
}

/**
 * Fills the strip (`section` holds a `.now-strip__note` and a `ul`); hides it when nothing is
 * on and nothing else starts today.
 */
export function renderNowStrip(section: HTMLElement, event: EventT, blocks: readonly SessionBlock[], now: number): void {
  const list = section.querySelector('ul');
  const note = section.querySelector<HTMLElement>('.now-strip__note');
  if (!list || !note) throw new Error('the Now strip needs its note and list');
  const teams = new Map(event.teams.map((t) => [t.slug, t]));
  const item = (b: SessionBlock) => {
    const team = teams.get(b.team);
    return el(
      'li',
      { attrs: { 'data-room': b.room } },
      el('span', { className: 'now-strip__room', text: b.room }),
      team ? el('a', { text: team.name, attrs: { href: teamPadUrl(team) } }) : b.team,
      el('span', { className: 'muted', text: `until ${b.end}` }),
    );
  };
  const byRoom = (shown: readonly SessionBlock[]) => [...shown].sort((a, b) => event.rooms.indexOf(a.room) - event.rooms.indexOf(b.room));
  const current = blocks.filter((b) => b.startsAt <= now && now < b.endsAt);
  const today = dateIn(event.timeZone, now);
  const upcoming = current.length > 0 ? null : blocks.find((b) => b.startsAt > now && b.day === today);
  section.hidden = current.length === 0 && !upcoming;
  note.hidden = !upcoming;
  if (upcoming) note.textContent = `Nothing is on right now. Next, at ${upcoming.start}:`;
  const shown = upcoming ? blocks.filter((b) => b.startsAt === upcoming.startsAt) : current;
  list.replaceChildren(...byRoom(shown).map(item));
}

/** "Now in Bexar until 16:00 · next: Wednesday 09:00 in Austin", or null when the team has no more sessions. */
export function whereabouts(event: EventT, blocks: readonly SessionBlock[], team: string, now: number): string | null {
  const { now: current, next } = teamWhereabouts(blocks, team, now);
  const today = dateIn(event.timeZone, now);
  const nextText = next ? `${next.day === today ? `at ${next.start}` : `${weekday(next.day)} ${next.start}`} in ${next.room}` : null;
  if (current) return `Now in ${current.room} until ${current.end}${nextText ? ` · next: ${nextText}` : ''}`;
  return nextText ? `Next: ${nextText}` : null;
}

/** Calls `refresh` whenever what is on changes (a slot starts or ends), and at least every minute. */
export function onScheduleChange(event: () => EventT | null, refresh: () => void): void {
  const arm = () => {
    const current = event();
    const now = Date.now();
    const next = current ? nextChange(current.days, current.timeZone, now) : null;
    const wait = next === null ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, Math.max(1000, next - now + 50));
    setTimeout(() => {
      refresh();
      arm();
    }, wait);
  };
  arm();
}
