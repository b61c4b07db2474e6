/**
 * Link targets that may be active in exported HTML and markdown, and in imported content.
 * Browsers drop tabs, newlines and other control characters from URLs, so `java\tscript:`
 * would run as `javascript:`; markdown renderers decode character references in link
 * destinations, so `javascript&colon;alert(1)` or `&#106;avascript:` would too. Both are
 * undone before the scheme is checked against `isAllowedLinkHref` (http, https, mailto, irc,
 * ircs, tel, or a relative path that does not lead to another host: `//x`, `/\\x`).
 */
import { isAllowedLinkHref } from '../extensions.js';

/** Named character references that can spell a scheme or a host switch (HTML5 names). */
const NAMED: Readonly<Record<string, string>> = {
  colon: ':',
  sol: '/',
  bsol: '\\',
  Tab: '\t',
  NewLine: '\n',
  period: '.',
  amp: '&',
  num: '#',
  quest: '?',
  excl: '!',
  percnt: '%',
  semi: ';',
  commat: '@',
  equals: '=',
  lpar: '(',
  rpar: ')',
  plus: '+',
  comma: ',',
  hyphen: '-',
  dash: '-',
  lowbar: '_',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
};

/** `text` with numeric references (`&#58;`, `&#x3a;`, `;` optional, as browsers read them) and the names above decoded. */
function decodeReferences(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([A-Za-z]+));?/gi,
    (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      const code = dec !== undefined ? Number(dec) : hex !== undefined ? parseInt(hex, 16) : null;
      if (code !== null) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      return whole.endsWith(';') && name && NAMED[name] !== undefined ? NAMED[name] : whole;
    },
  );
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The cleaned href, or null when it must not become a link. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const clean = href.replace(CONTROL, '').trim().replace(/ /g, '%20');
  if (clean === '' || !isAllowedLinkHref(clean)) return null;
  // As a renderer that decodes references would read it (repeatedly: `&amp;colon;`).
  let decoded = clean;
  for (let i = 0; i < 3; i += 1) decoded = decodeReferences(decoded);
  if (!isAllowedLinkHref(decoded.replace(CONTROL, '').trim())) return null;
  return clean;
}
