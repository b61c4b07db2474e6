/**
 * Chat message text as DOM: plain text nodes, with http(s) and mailto links made clickable and
 * mentions of a name marked. Never HTML: every piece is a text node or an element built here.
 */

const LINK = /\b(?:https?:\/\/|mailto:)[^\s<>"']+/gi;
/** Trailing punctuation that usually ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?)\]}]+$/;

/** The URL if it is one we are willing to link to (http, https, mailto), else null. */
export function safeLinkHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

/** True when `text` mentions `name` as a whole word (case-insensitive); empty names never match. */
export function mentions(text: string, name: string): boolean {
  const trimmed = name.trim();
  if (trimmed === '') return false;
  const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_])@?${escaped}(?=$|[^\\p{L}\\p{N}_])`, 'iu').test(text);
}

/** Appends `text` to `parent` as text nodes and safe links. */
export function appendChatText(parent: HTMLElement, text: string): void {
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const start = match.index ?? 0;
    let raw = match[0];
    const trailing = TRAILING.exec(raw);
    if (trailing) raw = raw.slice(0, raw.length - trailing[0].length);
    const href = safeLinkHref(raw);
    if (!href) continue;
    if (start > last) parent.append(document.createTextNode(text.slice(last, start)));
    const link = document.createElement('a');
    link.href = href;
    link.textContent = raw;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    parent.append(link);
    last = start + raw.length;
  }
  if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
}
