/**
 * Markdown <-> pad content (ProseMirror JSON of the schema in `common/extensions.ts`), through
 * `@tiptap/markdown`'s MarkdownManager on the one shared extension list. Runs headless (no DOM,
 * no Node APIs).
 *
 * The manager's own serializer escapes only `\ ` * _ [ ] ~` inside text. This module closes the
 * gaps that change meaning on the way back in: block syntax at the start of a line (`#`, `-`,
 * `+`, `=`, `1.`), `==`/`++` (highlight, underline), `|` inside tables, leading spaces, soft
 * line breaks inside a text, and link destinations/titles with spaces, parentheses or quotes.
 * On the way in it drops links whose scheme is not allowed (`javascript:`, `data:`, ...);
 * raw HTML arrives as literal text (the manager does not parse HTML without a DOM), except
 * `<br>`, which becomes a hard break (that is how tables carry line breaks).
 */
import {
  Extension,
  flattenExtensions,
  getExtensionField,
  getSchema,
  type AnyExtension,
  type JSONContent,
  type MarkdownTokenizer,
} from '@tiptap/core';
import { MarkdownManager } from '@tiptap/markdown';
import type { Node as PmNode, Schema } from '@tiptap/pm/model';
import { padExtensions } from '../extensions.js';
import { listStart } from './list-start.js';
import { wrapManagerInternal } from './markdown-manager-internals.js';
import { blockDelimiters, pasteEscape, type BlockDelimiters } from './paste-escape.js';
import { safeHref } from './safe-href.js';

/** Largest nesting of blocks (quotes, lists) kept on import; deeper markup is flattened to text. */
export const MAX_IMPORT_NESTING = 40;

/** `<br>` in markdown (as tables write line breaks) becomes a hard break. */
const HtmlBreak = Extension.create({
  name: 'gatherpadHtmlBreak',
  markdownTokenName: 'gatherpadHtmlBreak',
  parseMarkdown: () => ({ type: 'hardBreak' }),
  markdownTokenizer: {
    name: 'gatherpadHtmlBreak',
    level: 'inline',
    start: (src: string) => {
      const i = src.search(/<br\s*\/?>/i);
      return i;
    },
    tokenize: (src: string) => {
      const match = /^<br\s*\/?>/i.exec(src);
      return match ? { type: 'gatherpadHtmlBreak', raw: match[0] } : undefined;
    },
  },
});

/** Images have no node in the pad: `![alt](src)` becomes a link to the image. */
const ImageAsLink = Extension.create({
  name: 'gatherpadImageAsLink',
  markdownTokenName: 'image',
  parseMarkdown: (token) => {
    const href = typeof token.href === 'string' ? token.href : '';
    const text = (typeof token.text === 'string' && token.text) || href || 'image';
    return { type: 'text', text, marks: href ? [{ type: 'link', attrs: { href, title: token.title ?? null } }] : [] };
  },
});

/**
 * Quick guards in front of block tokenizers that split the whole rest of the document into
 * lines at every block (quadratic in the document's size). A guard lets through only sources the
 * tokenizer could accept, and list tokenizers see the source only up to and including the
 * first unindented line that is not one of their items (where they stop anyway), so results
 * are unchanged.
 */
interface TokenizerGuard {
  accepts(src: string): boolean;
  /** Unindented lines that continue the block; the first other unindented line ends it. */
  item?: RegExp;
}

const TOKENIZER_GUARDS: Record<string, TokenizerGuard> = {
  orderedList: { accepts: (src) => /^\s*\d{1,9}[.)]/.test(src), item: /^\d{1,9}[.)]/ },
  taskList: { accepts: (src) => /^\s*[-+*]\s+\[[ xX]\]/.test(src), item: /^[-+*]\s+\[[ xX]\]/ },
  table: {
    accepts: (src) => {
      const first = src.indexOf('\n');
      if (first < 0 || !src.slice(0, first).includes('|')) return false;
      const second = src.indexOf('\n', first + 1);
      const sep = src.slice(first + 1, second < 0 ? undefined : second);
      return sep.includes('|') && /^[ \t|:]*-[ \t|:-]*$/.test(sep);
    },
  },
};

/** `src` up to and including the first unindented, non-blank line after the first item that `item` does not match. */
function cutAtBlockEnd(src: string, item: RegExp): string {
  let start = 0;
  let seenItem = false;
  while (start < src.length) {
    const nl = src.indexOf('\n', start);
    const end = nl < 0 ? src.length : nl;
    const line = src.slice(start, end);
    if (line.trim() !== '' && !/^\s/.test(line)) {
      if (item.test(line)) seenItem = true;
      else if (seenItem) return src.slice(0, end);
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return src;
}

function withLinearTokenizer(extension: AnyExtension): AnyExtension {
  const guard = TOKENIZER_GUARDS[extension.name];
  const tokenizer = getExtensionField(extension, 'markdownTokenizer') as MarkdownTokenizer | undefined;
  if (!guard || !tokenizer) return extension;
  const start = tokenizer.start;
  const guarded: MarkdownTokenizer = {
    ...tokenizer,
    start: typeof start === 'function' ? (src: string) => (guard.accepts(src) ? start(src) : -1) : start,
    tokenize: (src, tokens, lexer) => {
      if (!guard.accepts(src)) return undefined;
      return tokenizer.tokenize(guard.item ? cutAtBlockEnd(src, guard.item) : src, tokens, lexer);
    },
  };
  return extension.extend({ markdownTokenizer: guarded });
}

/** Attribute set by prepareForSerialize on code marks whose text holds backticks. */
const TICKS = 'gatherpadTicks';
/** Attribute set by prepareForSerialize (paste style) on links whose text is their address. */
const AUTOLINK = 'gatherpadAutolink';

export interface SerializeOptions {
  /**
   * `exact` (default): escaped so that this converter reads back the same content.
   * `paste`: for pasting elsewhere (paste-escape.ts): escapes only what CommonMark and GitHub
   * would read as syntax, links whose text is their address as `<https://...>`, hard breaks
   * as a backslash, and no `&nbsp;` for empty paragraphs.
   */
  style?: 'exact' | 'paste';
}

export interface PadMarkdown {
  readonly schema: Schema;
  /** Markdown -> a valid `doc` of the pad schema (as a ProseMirror node). */
  parse(markdown: string): PmNode;
  /** Markdown -> the `doc` as JSON (what `parse` builds its node from). */
  parseToJSON(markdown: string): JSONContent;
  /** A `doc` (node or JSON) -> GitHub-flavoured markdown, ending with one newline (or '' when empty). */
  serialize(doc: PmNode | JSONContent, options?: SerializeOptions): string;
}

let shared: PadMarkdown | null = null;

/**
 * The process-wide converter. MarkdownManager registers its tokenizers on marked's shared
 * instance, so one manager per process keeps them from piling up.
 */
export function padMarkdown(): PadMarkdown {
  shared ??= createPadMarkdown();
  return shared;
}

function createPadMarkdown(): PadMarkdown {
  const extensions: AnyExtension[] = padExtensions();
  const schema = getSchema(extensions);
  // Flattened (kits and their children side by side), so each child can be swapped for a
  // guarded copy; the kits then must not add their original children again.
  const flat = flattenExtensions(extensions).map((e) => withLinearTokenizer(e.extend({ addExtensions: () => [] })));
  const manager = new MarkdownManager({ extensions: [...flat, HtmlBreak, ImageAsLink] });

  // Tables cannot hold a raw `|`; track whether we are inside one while rendering.
  let tableDepth = 0;
  // Set for the duration of one `serialize` call in the paste style.
  let paste: WeakMap<JSONContent, BlockDelimiters> | null = null;
  wrapManagerInternal(manager, 'renderNodeToMarkdown', (renderNode) => (node, parentNode, index, level, meta) => {
    if (node.type === 'codeBlock') return renderCodeBlock(node);
    if (paste && node.type === 'hardBreak' && tableDepth === 0) return '\\\n';
    if (node.type !== 'table') return renderNode(node, parentNode, index, level, meta);
    tableDepth++;
    try {
      return renderNode(node, parentNode, index, level, meta);
    } finally {
      tableDepth--;
    }
  });

  wrapManagerInternal(manager, 'encodeTextForMarkdown', (encodeText) => (text, node, parentNode) => {
    if ((node.marks ?? []).some((m) => m.type === 'code')) return text.replace(/\n/g, ' ');
    const siblings = parentNode?.content ?? [];
    const at = siblings.indexOf(node);
    const atLineStart = at === 0 || (at > 0 && siblings[at - 1].type === 'hardBreak');
    const flat = text.replace(/\r?\n/g, ' ');
    if (paste) {
      if ((node.marks ?? []).some((m) => m.type === 'link' && m.attrs?.[AUTOLINK])) return flat;
      let block = parentNode ? paste.get(parentNode) : undefined;
      if (!block) {
        block = blockDelimiters(siblings.map((c) => ({ text: c.text ?? '', marks: (c.marks ?? []).map((m) => m.type) })));
        if (parentNode) paste.set(parentNode, block);
      }
      const neighbour = (i: number, end: 'first' | 'last') => {
        const t = siblings[i]?.text ?? '';
        return end === 'first' ? t.charAt(0) : t.charAt(t.length - 1);
      };
      return pasteEscape(flat, {
        atLineStart,
        inTable: tableDepth > 0,
        before: neighbour(at - 1, 'last'),
        after: neighbour(at + 1, 'first'),
        block,
      });
    }
    return escapeText(encodeText(flat, node, parentNode), atLineStart, tableDepth > 0);
  });

  // Inline code holding backticks needs a longer run of backticks around it.
  wrapManagerInternal(manager, 'getMarkOpening', (markOpening) => (type, mark, mode) => {
    if (type === 'link' && mark?.attrs?.[AUTOLINK]) return '<';
    const ticks = type === 'code' ? mark?.attrs?.[TICKS] : undefined;
    return typeof ticks === 'number' ? `${'`'.repeat(ticks)} ` : markOpening(type, mark, mode);
  });
  wrapManagerInternal(manager, 'getMarkClosing', (markClosing) => (type, mark, mode) => {
    if (type === 'link' && mark?.attrs?.[AUTOLINK]) return '>';
    const ticks = type === 'code' ? mark?.attrs?.[TICKS] : undefined;
    return typeof ticks === 'number' ? ` ${'`'.repeat(ticks)}` : markClosing(type, mark, mode);
  });

  const parseToJSON = (markdown: string): JSONContent =>
    cleanImported(manager.parse(normalizeInput(markdown)), 0, 'doc') ?? { type: 'doc', content: [] };

  return {
    schema,
    parseToJSON,
    parse(markdown) {
      const doc = schema.nodeFromJSON(parseToJSON(markdown));
      doc.check();
      return doc;
    },
    serialize(doc, options = {}) {
      const json = 'toJSON' in doc && typeof doc.toJSON === 'function' ? (doc as PmNode).toJSON() : (doc as JSONContent);
      paste = options.style === 'paste' ? new WeakMap() : null;
      try {
        const out = manager.serialize(prepareForSerialize(json, paste !== null)).replace(/\s+$/, '');
        return out === '' ? '' : `${out}\n`;
      } finally {
        paste = null;
      }
    },
  };
}

function normalizeInput(markdown: string): string {
  // Byte order mark, Windows and old Mac line ends, NUL (marked maps it to U+FFFD anyway).
  return markdown
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\0/g, '\uFFFD');
}

/**
 * Escapes text (already HTML-entity encoded and backslash-escaped for `\ ` * _ [ ] ~` by the
 * manager) so that it reads back as the same text wherever it sits.
 */
function escapeText(text: string, atLineStart: boolean, inTable: boolean): string {
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
function prepareForSerialize(node: JSONContent, paste: boolean): JSONContent {
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

/** Nodes whose children are blocks: stray inline content there is wrapped in a paragraph. */
const BLOCK_CONTAINERS = new Set(['doc', 'blockquote', 'listItem', 'taskItem', 'tableCell', 'tableHeader']);

/**
 * After parsing: drop disallowed links, turn soft line breaks in text into spaces (as markdown
 * renders them), wrap stray inline nodes in paragraphs, flatten nesting deeper than
 * MAX_IMPORT_NESTING.
 */
function cleanImported(node: JSONContent, depth: number, parentType: string): JSONContent | null {
  const copy: JSONContent = { ...node };
  if (node.type === 'text') {
    if (!node.text) return null;
    if (parentType !== 'codeBlock' && !(node.marks ?? []).some((m) => m.type === 'code')) copy.text = node.text.replace(/\n/g, ' ');
    if (node.marks) {
      copy.marks = node.marks.flatMap((m) => {
        if (m.type !== 'link') return [m];
        const href = safeHref(m.attrs?.href);
        return href ? [{ ...m, attrs: { ...m.attrs, href } }] : [];
      });
      if (copy.marks.length === 0) delete copy.marks;
    }
    return copy;
  }
  if (!node.content) return copy;
  if (depth >= MAX_IMPORT_NESTING && NESTING_TYPES.has(node.type ?? '')) {
    return { type: 'paragraph', content: [{ type: 'text', text: textOf(node).slice(0, 100_000) || ' ' }] };
  }
  const children = node.content.map((c) => cleanImported(c, depth + 1, node.type ?? '')).filter((c): c is JSONContent => c !== null);
  if (!BLOCK_CONTAINERS.has(node.type ?? '')) {
    copy.content = children;
    return copy;
  }
  const blocks: JSONContent[] = [];
  let inline: JSONContent[] | null = null;
  for (const child of children) {
    if (child.type === 'text' || child.type === 'hardBreak') {
      if (!inline) blocks.push({ type: 'paragraph', content: (inline = []) });
      inline.push(child);
    } else {
      inline = null;
      blocks.push(child);
    }
  }
  copy.content = blocks;
  return copy;
}

const NESTING_TYPES = new Set(['blockquote', 'bulletList', 'orderedList', 'taskList']);

function textOf(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(textOf).join(' ');
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
function renderCodeBlock(node: JSONContent): string {
  const code = (node.content ?? []).map((c) => c.text ?? '').join('');
  const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
  const language = typeof node.attrs?.language === 'string' ? node.attrs.language.replace(/[\s`]/g, '') : '';
  return `${fence}${language}\n${code}\n${fence}`;
}
