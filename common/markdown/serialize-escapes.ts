/**
 * What makes the manager's markdown read back as the same content: text escaped for where it
 * sits (line start, table, next to other text), link destinations and titles that survive
 * re-reading, code spans and fences longer than the backticks inside them, unsafe links
 * dropped, list numbers made sane. pad-markdown.ts applies these around the manager's own
 * serializer.
 */
import type { JSONContent } from '@tiptap/core';
import { listStart } from './list-start.js';
import { safeHref } from './safe-href.js';

/** Attribute set by prepareForSerialize on code marks whose text holds backticks. */
export const TICKS = 'gatherpadTicks';
/** Attribute set by prepareForSerialize (paste style) on links whose text is their address. */
export const AUTOLINK = 'gatherpadAutolink';

/**
 * Escapes text (already HTML-entity encoded and backslash-escaped for `\ ` * _ [ ] ~` by the
 * manager) so that it reads back as the same text wherever it sits.
 */
export function escapeText(text: string, atLineStart: boolean, inTable: boolean): string {
  let out = text.replace(/==/g, '\\=\\=').replace(/\+\+/g, '\\+\\+');
  if (inTable) out = out.replace(/\|/g, '\\|');
  // Bare URLs and e-mail addresses would come back as links (with our escapes inside them).
  out = out
    .replace(/\b(https?|ftp):\/\//gi, '$1\\://')
    .replace(/\bwww\./gi, 'www\\.')
    .replace(/([A-Za-z0-9._+-])@(?=[A-Za-z0-9-]+\.)/g, '$1\\@');
  if (atLineStart) {
    out = out
      // Markdown drops leading spaces (and four of them start a code block).
      .replace(/^[ \t]+/, '')
      // Headings, bullet markers, setext underlines, thematic breaks.
      .replace(/^([#+=-])/, '\\$1')
      // Ordered list markers: `1.` or `1)`.
      .replace(/^(\d{1,9})([.)])/, '$1\\$2');
  }
  return out;
}

/**
 * Link destinations and titles the manager writes verbatim; make them survive re-reading. An
 * `&` that starts a character reference is percent-encoded: renderers decode references in
 * destinations, so `&colon;` would turn into `:` in someone else's viewer.
 */
function escapeHref(href: string): string {
  return href
    .replace(/[\s<>()\\]/g, (c) => (c === '(' || c === ')' || c === '\\' ? `\\${c}` : encodeURIComponent(c)))
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '%26');
}

function escapeTitle(title: string): string {
  return title.replace(/\s+/g, ' ').replace(/(["\\])/g, '\\$1');
}

/**
 * The document as the manager should write it: links whose target is not allowed become plain
 * text (the pad's content comes from clients, which can put any href in a link mark), list
 * numbers are sane, and destinations, titles and code spans survive re-reading.
 */
export function prepareForSerialize(node: JSONContent, paste: boolean): JSONContent {
  const copy: JSONContent = { ...node };
  if (node.type === 'orderedList') copy.attrs = { ...node.attrs, start: listStart(node.attrs) };
  if (node.marks) {
    copy.marks = node.marks.flatMap((mark) => {
      if (mark.type === 'code') {
        const run = longestRun(node.text ?? '', '`');
        return run > 0 || /^ .* $/.test(node.text ?? '') ? [{ ...mark, attrs: { ...mark.attrs, [TICKS]: run + 1 } }] : [mark];
      }
      if (mark.type !== 'link') return [mark];
      const safe = safeHref(mark.attrs?.href);
      if (safe === null) return [];
      if (paste && safe === mark.attrs?.href && isAutolink(node.text ?? '', safe))
        return [{ ...mark, attrs: { ...mark.attrs, [AUTOLINK]: true } }];
      const title = typeof mark.attrs?.title === 'string' && mark.attrs.title !== '' ? escapeTitle(mark.attrs.title) : null;
      return [{ ...mark, attrs: { ...mark.attrs, href: escapeHref(safe), title } }];
    });
  }
  if (node.content) {
    // Pasted markdown has no `&nbsp;` placeholders: empty paragraphs go, unless one is all a node holds.
    const children =
      paste && node.content.length > 1 ? node.content.filter((c) => !(c.type === 'paragraph' && !(c.content ?? []).length)) : node.content;
    copy.content = children.map((child) => prepareForSerialize(child, paste));
  }
  return copy;
}

/** A link that reads as its own address, and can be written `<address>` (no space, `<` or `>`). */
function isAutolink(text: string, href: unknown): boolean {
  return typeof href === 'string' && text === href && /^(?:https?|ftp):\/\/[^\s<>]+$|^mailto:[^\s<>]+$/i.test(href);
}

function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** A fenced code block whose fence is longer than any run of backticks inside it. */
export function renderCodeBlock(node: JSONContent): string {
  const code = (node.content ?? []).map((c) => c.text ?? '').join('');
  const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
  const language = typeof node.attrs?.language === 'string' ? node.attrs.language.replace(/[\s`]/g, '') : '';
  return `${fence}${language}\n${code}\n${fence}`;
}
