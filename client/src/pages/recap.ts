/**
 * The recap page `/e/<event>/recap`: a preview of each team's part of the event recap, and
 * buttons that copy it (whole or per team) as markdown made for pasting or as plain text wrapped
 * for e-mail, or download it. `?by=session` groups each team's notes by the sessions it held;
 * `?summary=only` leaves the notes out. Everything comes from `GET .../recap.json`; the preview
 * HTML is the server's, where every text is escaped.
 */
import '../theme/apply-stored-theme.js';
import type { EventRecapT } from '../../../common/event-schemas.js';
import { copyToClipboard } from '../events/copy.js';
import { byId, el } from '../dom.js';
import { eventsApi, type RecapQuery } from '../events/event-api.js';

const slug = decodeURIComponent(location.pathname.split('/')[2] ?? '').toLowerCase();
let recap: EventRecapT | null = null;
let loading = 0;

function query(): RecapQuery {
  const params = new URLSearchParams(location.search);
  return { bySession: params.get('by') === 'session', summaryOnly: params.get('summary') === 'only' };
}

function setQuery(next: RecapQuery): void {
  const params = new URLSearchParams();
  if (next.bySession) params.set('by', 'session');
  if (next.summaryOnly) params.set('summary', 'only');
  const search = params.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
}

/** The preview of a team's part: the server's escaped HTML, parsed away from the page first. */
function preview(html: string): HTMLElement {
  const template = document.createElement('template');
  template.innerHTML = html;
  return el('div', { className: 'recap-preview' }, template.content);
}

function status(message: string): void {
  byId('copy-status').textContent = message;
}

function copyButton(label: string, ariaLabel: string, value: () => string, done: string): HTMLButtonElement {
  const button = el('button', { className: 'button', text: label, attrs: { type: 'button', 'aria-label': ariaLabel } });
  button.addEventListener('click', () => {
    copyToClipboard(value()).then(
      (ok) => status(ok ? done : 'Could not copy: select the text and copy it.'),
      () => status('Could not copy.'),
    );
  });
  return button;
}

function render(data: EventRecapT): void {
  recap = data;
  document.title = `Recap: ${data.event.name} · Gatherpad`;
  byId('recap-title').textContent = `Recap: ${data.event.name}`;
  byId<HTMLAnchorElement>('event-link').href = data.event.url;
  const q = query();
  byId<HTMLAnchorElement>('download-md').href = eventsApi.recapFileUrl(slug, 'md', q);
  byId<HTMLAnchorElement>('download-txt').href = eventsApi.recapFileUrl(slug, 'txt', q);
  byId('recap-nav').replaceChildren(...data.teams.map((t) => el('li', {}, el('a', { text: t.name, attrs: { href: `#recap-${t.slug}` } }))));
  const parts = data.teams.map((team) => {
    const counts = `${team.counts.action} action item${team.counts.action === 1 ? '' : 's'}, ${team.counts.decision} decision${team.counts.decision === 1 ? '' : 's'}`;
    const part = el(
      'section',
      {
        className: 'recap-team',
        attrs: { id: `recap-${team.slug}`, 'data-testid': `recap-${team.slug}`, 'aria-label': `${team.name}: ${counts}` },
      },
      preview(team.html),
      el(
        'div',
        { className: 'recap-team__actions' },
        copyButton('Copy as markdown', `Copy as markdown: ${team.name}`, () => team.markdown, `Copied ${team.name}'s part as markdown.`),
        copyButton('Copy as plain text', `Copy as plain text: ${team.name}`, () => team.text, `Copied ${team.name}'s part as plain text.`),
      ),
    );
    return part;
  });
  byId('recap-teams').replaceChildren(...parts);
  if (data.teams.length === 0) byId('recap-teams').append(el('p', { className: 'muted', text: 'This event has no teams yet.' }));
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

function load(): void {
  const mine = ++loading;
  const q = query();
  byId('recap-teams').setAttribute('aria-busy', 'true');
  eventsApi.recap(slug, q).then(
    (data) => {
      if (mine !== loading) return;
      byId('recap-error').hidden = true;
      render(data);
      byId('recap-teams').removeAttribute('aria-busy');
    },
    (err: unknown) => {
      if (mine !== loading) return;
      byId('recap-title').textContent = 'Could not make the recap';
      byId('recap-error').textContent = err instanceof Error ? err.message : 'The server did not answer.';
      byId('recap-error').hidden = false;
      byId('recap-teams').removeAttribute('aria-busy');
    },
  );
}

function setup(): void {
  const form = byId<HTMLFormElement>('recap-options');
  const summary = byId<HTMLInputElement>('summary-only');
  const q = query();
  form.querySelector<HTMLInputElement>(`input[name="by"][value="${q.bySession ? 'session' : 'pad'}"]`)!.checked = true;
  summary.checked = q.summaryOnly;
  form.addEventListener('change', () => {
    const by = form.querySelector<HTMLInputElement>('input[name="by"]:checked')?.value;
    setQuery({ bySession: by === 'session', summaryOnly: summary.checked });
    load();
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  byId('copy-markdown').addEventListener('click', () => {
    if (recap)
      copyToClipboard(recap.markdown).then(
        (ok) => status(ok ? 'Copied the recap as markdown.' : 'Could not copy.'),
        () => status('Could not copy.'),
      );
  });
  byId('copy-text').addEventListener('click', () => {
    if (recap)
      copyToClipboard(recap.text).then(
        (ok) => status(ok ? 'Copied the recap as plain text.' : 'Could not copy.'),
        () => status('Could not copy.'),
      );
  });
}

setup();
load();
