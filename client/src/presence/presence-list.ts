/**
 * The people on a pad, from awareness states: a colour dot and a name each, yourself first.
 * Names come from other browsers and are only ever set as text.
 */
import type { Awareness } from 'y-protocols/awareness';
import { isHexColor } from './palette.js';

export interface PresenceListOptions {
  list: HTMLElement;
  awareness: Awareness;
  /** Called when someone clicks their own entry. */
  onEditSelf(): void;
}

interface Person {
  clientId: number;
  name: string;
  color: string;
}

function peopleIn(awareness: Awareness): Person[] {
  const people: Person[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user: unknown = state.user;
    if (typeof user !== 'object' || user === null) return;
    const { name, color } = user as Record<string, unknown>;
    people.push({
      clientId,
      name: typeof name === 'string' && name.trim() !== '' ? name : 'Someone',
      color: isHexColor(color) ? color : '#888888',
    });
  });
  const self = awareness.clientID;
  return people.sort((a, b) => (a.clientId === self ? -1 : b.clientId === self ? 1 : a.name.localeCompare(b.name)));
}

function renderPerson(person: Person, isSelf: boolean, onEditSelf: () => void): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'presence__person';
  item.dataset.clientId = String(person.clientId);

  const dot = document.createElement('span');
  dot.className = 'presence__dot';
  dot.setAttribute('aria-hidden', 'true');
  dot.style.backgroundColor = person.color;

  const name = document.createElement('span');
  name.className = 'presence__name';
  name.textContent = person.name;

  if (!isSelf) {
    item.append(dot, name);
    return item;
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'presence__self';
  button.title = 'Change your name';
  const you = document.createElement('span');
  you.className = 'presence__you';
  you.textContent = '(you)';
  button.append(dot, name, you);
  button.addEventListener('click', onEditSelf);
  item.append(button);
  return item;
}

export function mountPresenceList({ list, awareness, onEditSelf }: PresenceListOptions): () => void {
  let shown = '';
  const render = (): void => {
    const people = peopleIn(awareness);
    // Awareness also changes whenever someone's caret moves; redraw only when people change.
    const key = JSON.stringify(people);
    if (key === shown) return;
    shown = key;
    list.replaceChildren(...people.map((p) => renderPerson(p, p.clientId === awareness.clientID, onEditSelf)));
    list.setAttribute('aria-label', `${people.length} ${people.length === 1 ? 'person' : 'people'} on this pad`);
  };
  // 'change' skips the periodic keep-alive renewals that 'update' also reports.
  awareness.on('change', render);
  render();
  return () => awareness.off('change', render);
}
