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
import { Extension, flattenExtensions, getSchema, type AnyExtension, type JSONContent } from '@tiptap/core';
import { MarkdownManager } from '@tiptap/markdown';
import type { Node as PmNode, Schema } from '@tiptap/pm/model';
import { padExtensions } from '../extensions.js';
import { cleanImported, normalizeInput } from './import-cleanup.js';
import { withLinearTokenizer } from './linear-tokenizers.js';
import { wrapManagerInternal } from './markdown-manager-internals.js';
import { blockDelimiters, pasteEscape, type BlockDelimiters } from './paste-escape.js';
import { AUTOLINK, escapeText, prepareForSerialize, renderCodeBlock, TICKS } from './serialize-escapes.js';

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
