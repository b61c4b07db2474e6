/**
 * One CSS class per author colour, with its light and dark shade (author-tint.ts), in a
 * stylesheet built through the CSSOM: no `style` attributes, so a strict CSP holds. The dark
 * shade applies with the dark theme chosen, or with the system's when none is chosen.
 */
import { authorTint } from './author-tint.js';

export class AuthorShades {
  private readonly sheet = new CSSStyleSheet();
  private readonly classes = new Map<string, string>();

  constructor() {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.sheet];
  }

  /** The class for `color` (a hex colour), made on first use. */
  classFor(color: string): string {
    const key = color.toLowerCase();
    let name = this.classes.get(key);
    if (name) return name;
    name = `author-shade-${this.classes.size}`;
    this.classes.set(key, name);
    const light = authorTint(key, false);
    const dark = authorTint(key, true);
    const selector = `.author-run.${name}`;
    this.sheet.insertRule(`${selector} { background-color: ${light}; }`, this.sheet.cssRules.length);
    this.sheet.insertRule(`:root[data-theme='dark'] ${selector} { background-color: ${dark}; }`, this.sheet.cssRules.length);
    this.sheet.insertRule(
      `@media (prefers-color-scheme: dark) { :root:not([data-theme='light']) ${selector} { background-color: ${dark}; } }`,
      this.sheet.cssRules.length,
    );
    return name;
  }
}
