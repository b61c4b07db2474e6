/**
 * Quick guards in front of the block tokenizers of `@tiptap/markdown` that would otherwise take
 * time quadratic in a document's size (they split the whole rest of the document into lines at
 * every block): a guarded tokenizer sees only sources it could accept, and a list's only up to
 * where it ends anyway, so what it reads is unchanged.
 */
import { getExtensionField, type AnyExtension, type MarkdownTokenizer } from '@tiptap/core';

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

export function withLinearTokenizer(extension: AnyExtension): AnyExtension {
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
