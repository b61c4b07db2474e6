/**
 * Link targets that may be active in exported HTML and imported content. Browsers drop tabs,
 * newlines and other control characters from URLs, so `java\tscript:` would run as
 * `javascript:`: those characters are removed before the scheme is checked against
 * `isAllowedLinkHref` (http, https, mailto, irc, ircs, tel, or a relative path).
 */
import { isAllowedLinkHref } from '../extensions.js';

/** The cleaned href, or null when it must not become a link. */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  const clean = href.replace(/[\u0000-\u001f\u007f]/g, '').trim().replace(/ /g, '%20');
  if (clean === '' || !isAllowedLinkHref(clean)) return null;
  return clean;
}
