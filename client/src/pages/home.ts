/** The start page: open a pad by name, create a new one, revisit recent pads. */
import '../theme/apply-stored-theme.js';
import { normalizePadId, randomPadId } from '../../../common/pad-id.js';
import { byId } from '../dom.js';
import { renderEventsList } from '../events/events-list.js';
import { loadRecentPads, padPath, type RecentPad } from '../storage/recent-pads.js';

function setupOpenForm(): void {
  const form = byId<HTMLFormElement>('open-pad-form');
  const input = byId<HTMLInputElement>('pad-name');
  const error = byId<HTMLParagraphElement>('pad-name-error');

  const showError = (message: string | null): void => {
    error.textContent = message ?? '';
    error.hidden = message === null;
    input.setAttribute('aria-invalid', message === null ? 'false' : 'true');
  };

  input.addEventListener('input', () => showError(null));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const raw = input.value.trim();
    if (raw === '') {
      showError('Enter a pad name, or use "New pad".');
      input.focus();
      return;
    }
    const padId = normalizePadId(raw);
    if (padId === null) {
      showError(
        'That name cannot be used. Start with a letter or digit, then use only letters, digits, ".", "-" or "_" (no spaces, no ".."), up to 100 characters.',
      );
      input.focus();
      return;
    }
    location.assign(padPath(padId));
  });

  byId<HTMLButtonElement>('new-pad').addEventListener('click', () => {
    location.assign(padPath(randomPadId()));
  });
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function renderRecentPad(pad: RecentPad): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'recent__item';
  const link = document.createElement('a');
  link.href = padPath(pad.id);
  link.textContent = pad.id;
  const time = document.createElement('time');
  const visited = new Date(pad.visitedAt);
  time.dateTime = visited.toISOString();
  time.textContent = timeFormat.format(visited);
  time.className = 'muted';
  item.append(link, time);
  return item;
}

function renderRecentPads(): void {
  const pads = loadRecentPads();
  byId<HTMLUListElement>('recent-pads').replaceChildren(...pads.map(renderRecentPad));
  byId<HTMLParagraphElement>('recent-empty').hidden = pads.length > 0;
}

setupOpenForm();
renderRecentPads();
void renderEventsList(byId<HTMLElement>('events'));
// Coming back through the history cache shows a list that may be stale.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) renderRecentPads();
});
