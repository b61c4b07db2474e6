/**
 * Pad content (ProseMirror JSON of the pad schema) -> a standalone HTML document, built as a
 * string so it runs headless without a DOM. Every text and attribute is escaped; only the
 * schema's own nodes and marks become tags; links are active only for allowed schemes
 * (`isAllowedLinkHref`); anything unknown is rendered as its escaped text.
 */
import type { JSONContent } from '@tiptap/core';
import { listStart } from './list-start.js';
import { safeHref } from './safe-href.js';

/** `=` too, so that text such as `onerror=` never appears verbatim in the output. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '=': '&#61;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'=]/g, (c) => ESCAPES[c]);
}

const BLOCK_TAGS: Record<string, string> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  listItem: 'li',
  table: 'table',
  tableRow: 'tr',
};

/** The body HTML of a `doc` (no surrounding document). */
export function padToHtmlFragment(doc: JSONContent): string {
  return renderChildren(doc);
}

/** A complete HTML document for a `doc`: UTF-8, titled, with a small print-friendly style. */
export function padToHtmlDocument(doc: JSONContent, title: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    padToHtmlFragment(doc),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export const HTML_STYLE = [
  'body{font-family:system-ui,sans-serif;line-height:1.5;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}',
  'pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}',
  'code{font-family:ui-monospace,monospace}',
  'table{border-collapse:collapse}',
  'th,td{border:1px solid #999;padding:.25rem .5rem;vertical-align:top}',
  'blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem;color:#444}',
  'ul.task-list{list-style:none;padding-left:1.2rem}',
  'mark{background:#fff3a3}',
].join('');

function renderChildren(node: JSONContent): string {
  return (node.content ?? []).map(renderNode).join('');
}

function renderNode(node: JSONContent): string {
  switch (node.type) {
    case 'text':
      return renderText(node);
    case 'hardBreak':
      return '<br>';
    case 'horizontalRule':
      return '<hr>\n';
    case 'heading': {
      const level = clampInt(node.attrs?.level, 1, 6, 1);
      return `<h${level}>${renderChildren(node)}</h${level}>\n`;
    }
    case 'orderedList': {
      const start = listStart(node.attrs);
      return `<ol${start !== 1 ? ` start="${start}"` : ''}>\n${renderChildren(node)}</ol>\n`;
    }
    case 'taskList':
      return `<ul class="task-list">\n${renderChildren(node)}</ul>\n`;
    case 'taskItem': {
      const checked = node.attrs?.checked === true;
      // Named, so screen readers (and axe) know what the box says.
      return `<li class="task-item" data-checked="${checked}"><input type="checkbox" disabled${checked ? ' checked' : ''} aria-label="${checked ? 'done' : 'to do'}"> ${renderChildren(node)}</li>\n`;
    }
    case 'codeBlock': {
      const language = typeof node.attrs?.language === 'string' ? node.attrs.language.replace(/[^\w+#.-]/g, '') : '';
      const code = (node.content ?? []).map((c) => c.text ?? '').join('');
      return `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${escapeHtml(code)}</code></pre>\n`;
    }
    case 'tableHeader':
    case 'tableCell': {
      const tag = node.type === 'tableHeader' ? 'th' : 'td';
      const colspan = clampInt(node.attrs?.colspan, 1, 1000, 1);
      const rowspan = clampInt(node.attrs?.rowspan, 1, 1000, 1);
      const span = `${colspan > 1 ? ` colspan="${colspan}"` : ''}${rowspan > 1 ? ` rowspan="${rowspan}"` : ''}`;
      return `<${tag}${span}>${renderChildren(node)}</${tag}>`;
    }
    case 'table':
      return `<table><tbody>\n${renderChildren(node)}</tbody></table>\n`;
    case 'doc':
      return renderChildren(node);
    default: {
      const tag = node.type ? BLOCK_TAGS[node.type] : undefined;
      if (!tag) return escapeHtml(textContent(node));
      const nl = tag === 'p' || tag === 'tr' || tag === 'li' ? '\n' : '';
      const inner = renderChildren(node);
      return `<${tag}>${tag === 'ul' || tag === 'blockquote' ? '\n' : ''}${inner}</${tag}>${nl || '\n'}`;
    }
  }
}

function renderText(node: JSONContent): string {
  let html = escapeHtml(node.text ?? '');
  // Innermost first: the order of marks in the JSON is the schema's order (link outermost last).
  const marks = [...(node.marks ?? [])].reverse();
  for (const mark of marks) {
    switch (mark.type) {
      case 'bold':
        html = `<strong>${html}</strong>`;
        break;
      case 'italic':
        html = `<em>${html}</em>`;
        break;
      case 'strike':
        html = `<s>${html}</s>`;
        break;
      case 'underline':
        html = `<u>${html}</u>`;
        break;
      case 'highlight':
        html = `<mark>${html}</mark>`;
        break;
      case 'code':
        html = `<code>${html}</code>`;
        break;
      case 'link': {
        const href = safeHref(mark.attrs?.href);
        const title = typeof mark.attrs?.title === 'string' && mark.attrs.title ? ` title="${escapeHtml(mark.attrs.title)}"` : '';
        html = href
          ? `<a href="${escapeHtml(href)}"${title} rel="noopener noreferrer nofollow">${html}</a>`
          : `<span${title}>${html}</span>`;
        break;
      }
      default:
        break;
    }
  }
  return html;
}

function textContent(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(textContent).join('');
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}
