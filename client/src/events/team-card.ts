/**
 * A team's card on the event page: where it is now and next, its now/next board, its pads by
 * title (forks marked as such) with live counts and when they were last written in, links to
 * its calendar and its part of the recap, the open items it carries from earlier events, and a
 * form to add a topic pad. Everything user-provided goes in as text.
 */
import type { EventT, TeamPadT, TeamT } from '../../../common/event-schemas.js';
import { el } from '../dom.js';
import { ago } from './relative-time.js';
import { liveBadge } from './live-badge.js';

export interface TeamActions {
  addTopic(team: string, topic: string, title: string): Promise<void>;
}

/** What a pad is called on the page: its title, else its first heading, else a name made from its id. */
export function padLabel(event: string, team: TeamT, pad: TeamPadT): string {
  if (pad.title) return pad.title;
  if (pad.heading) return pad.heading;
  if (pad.main) return `${team.name} notes`;
  const topic = pad.id.startsWith(`${event}-${team.slug}-`) ? pad.id.slice(event.length + team.slug.length + 2) : pad.id;
  return topic.replace(/[-_]+/g, ' ');
}

/** A topic pad's id part from what someone typed: `Unified limits!` -> `unified-limits`. */
export function topicSlug(typed: string): string {
  return typed
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

function padItem(event: string, team: TeamT, pad: TeamPadT): HTMLLIElement {
  const label = padLabel(event, team, pad);
  const link = el('a', { text: label, attrs: { href: pad.url } });
  const item = el('li', { attrs: { 'data-pad': pad.id } }, link);
  if (pad.forkOf) {
    item.classList.add('team__fork');
    item.append(el('span', { className: 'muted', text: `fork of ${pad.forkOf.padId} (r${pad.forkOf.rev}), not in the recap` }));
  }
  item.append(liveBadge(pad.id, pad.live));
  if (pad.updatedAt)
    item.append(el('time', { className: 'edited', text: `edited ${ago(pad.updatedAt)}`, attrs: { datetime: pad.updatedAt } }));
  return item;
}

function topicForm(team: TeamT, actions: TeamActions): [HTMLFormElement, HTMLElement] {
  const input = el('input', {
    attrs: {
      type: 'text',
      placeholder: 'new topic, e.g. Unified limits',
      'aria-label': `New topic pad for ${team.name}`,
      maxlength: '200',
    },
  });
  const error = el('p', { className: 'form-error', attrs: { role: 'alert' } });
  error.hidden = true;
  const form = el(
    'form',
    { className: 'topic-form' },
    input,
    el('button', { className: 'button', text: 'Add pad', attrs: { type: 'submit' } }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const title = input.value.trim().replace(/\s+/g, ' ');
    const topic = topicSlug(title);
    if (!topic) {
      error.textContent = title ? 'Use some letters or digits in the topic.' : '';
      error.hidden = !title;
      return;
    }
    actions.addTopic(team.slug, topic, title).then(
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
  return [form, error];
}

/** Shows where the team is now and next (null: hides the line). */
export function setWhere(card: HTMLElement, board: HTMLElement | null, where: string | null): void {
  const line = (board ?? card).querySelector<HTMLElement>('.team__where');
  if (!line) return;
  line.textContent = where ?? '';
  line.hidden = where === null;
}

/** The card, without its open items (mounted by the page when they arrive). */
export function teamCard(event: EventT, team: TeamT, where: string | null, actions: TeamActions): HTMLLIElement {
  const card = el('li', { className: 'team', attrs: { 'data-testid': `team-${team.slug}`, id: `team-${team.slug}` } });
  if (team.color) card.style.setProperty('--team-color', team.color);
  const board = el(
    'div',
    { className: 'team__board' },
    el('p', { className: 'team__where', attrs: { 'data-testid': `where-${team.slug}` } }),
  );
  setWhere(card, board, where);
  if (team.now) board.append(el('p', {}, el('strong', { text: 'Now: ' }), team.now));
  for (const next of team.next) board.append(el('p', { className: 'muted' }, el('strong', { text: 'Next: ' }), next));
  const links = el(
    'p',
    { className: 'team__links' },
    el('a', { text: 'Recap', attrs: { href: `/e/${event.slug}/recap#recap-${team.slug}`, 'aria-label': `Recap of ${team.name}` } }),
    el('a', {
      text: 'Calendar (iCal)',
      attrs: { href: `/e/${event.slug}/${team.slug}.ics`, 'aria-label': `Calendar (iCal) of ${team.name}` },
    }),
  );
  if (team.padUrl) links.append(el('a', { text: 'Team pad elsewhere', attrs: { href: team.padUrl, rel: 'noopener noreferrer' } }));
  const [form, error] = topicForm(team, actions);
  const openItems = el('div', { className: 'team__open', attrs: { 'data-open-items': team.slug } });
  card.append(
    el('h3', { text: team.name }),
    board,
    el(
      'ul',
      { className: 'team__pads', attrs: { 'aria-label': `Pads of ${team.name}` } },
      ...team.pads.map((p) => padItem(event.slug, team, p)),
    ),
    links,
    openItems,
    form,
    error,
  );
  return card;
}
