/**
 * Light and dark themes: the page follows the system (`prefers-color-scheme`) until someone
 * picks one with the toggle; the choice is remembered in localStorage (`gatherpad:theme`) and
 * set as `<html data-theme="light|dark">`, which theme.css turns into the colour variables.
 */
import './theme.css';

const THEME_KEY = 'gatherpad:theme';
export type Theme = 'light' | 'dark';

export function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

/** The theme in effect: the stored choice, else the system's. */
export function currentTheme(): Theme {
  return storedTheme() ?? (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

export function applyTheme(theme: Theme | null): void {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

/** Adds the toggle button to `host`; applies the stored theme at once. */
export function mountThemeToggle(host: HTMLElement): HTMLButtonElement {
  applyTheme(storedTheme());
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button theme-toggle';
  button.dataset.testid = 'theme-toggle';
  const label = (): void => {
    const dark = currentTheme() === 'dark';
    button.textContent = dark ? '☀' : '☾';
    button.setAttribute('aria-label', dark ? 'Use the light theme' : 'Use the dark theme');
    button.title = dark ? 'Use the light theme' : 'Use the dark theme';
  };
  button.addEventListener('click', () => {
    const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Storage disabled: this page only.
    }
    applyTheme(next);
    label();
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', label);
  label();
  host.append(button);
  return button;
}
