/**
 * The "Author colours" button: shading on or off, remembered in this browser
 * (`gatherpad:author-colours`). Until someone chooses, it is on, except on phone-sized screens,
 * where the shading would crowd a narrow column.
 */
const PREFERENCE_KEY = 'gatherpad:author-colours';
const PHONE = '(max-width: 600px)';

export function authorColoursWanted(): boolean {
  try {
    const stored = localStorage.getItem(PREFERENCE_KEY);
    if (stored === 'on' || stored === 'off') return stored === 'on';
  } catch {
    // Storage disabled: the default.
  }
  return !window.matchMedia(PHONE).matches;
}

/** Adds the button to `host`; `onToggle` gets the new state after each press. */
export function mountAuthorshipToggle(host: HTMLElement, on: boolean, onToggle: (on: boolean) => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button authorship-toggle';
  button.dataset.testid = 'authorship-toggle';
  button.textContent = 'Author colours';
  button.title = 'Shade the text by who wrote it; hover over text to see the name';
  button.setAttribute('aria-pressed', String(on));
  button.addEventListener('click', () => {
    const next = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(next));
    try {
      localStorage.setItem(PREFERENCE_KEY, next ? 'on' : 'off');
    } catch {
      // Storage disabled: this page only.
    }
    onToggle(next);
  });
  host.append(button);
  return button;
}
