/**
 * Escaping for markdown made to be pasted (recaps into a mailing list post, a wiki, a forge):
 * a backslash or an entity only where CommonMark with GitHub's extensions would otherwise read
 * the text as syntax. `cell_v2`, `[quota]`, `https://...`, `a < b`, `~5 people` stay as typed;
 * `*bold*` typed as text, `[x](y)`, `<tag>`, `&amp;` and block syntax at a line's start are
 * escaped. Unlike the exact export (pad-markdown.ts), this does not guard the pad's own
 * extensions (`==highlight==`, `++underline++`), and bare URLs are left to become links.
 */

/** What the text around a text run looks like, within its textblock. */
export interface PasteTextContext {
  /** The run starts the textblock or follows a hard break. */
  atLineStart: boolean;
  inTable: boolean;
  /** The characters just before and after the run in its textblock ('' at either end). */
  before: string;
  after: string;
  block: BlockDelimiters;
}

/** Counts over a whole textblock: a delimiter can only pair with another in the same block. */
export interface BlockDelimiters {
  /** `*` in the text, plus bold or italic marks (written with `*`). */
  stars: number;
  /** `_` that are not between two letters or digits (those never open or close emphasis). */
  underscores: number;
  /** `~` in the text, plus strike marks (written with `~~`). */
  tildes: number;
  /** Backticks in the text, plus code marks. */
  backticks: number;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /^$|\s/;
const ENTITY = /^&(?:#\d{1,7}|#[xX][\da-fA-F]{1,6}|[A-Za-z][A-Za-z\d]{1,31});/;

/** `BlockDelimiters` of a textblock's runs (text and marks). */
export function blockDelimiters(runs: readonly { text: string; marks: readonly string[] }[]): BlockDelimiters {
  const text = runs.map((r) => r.text).join('');
  const marks = new Set(runs.flatMap((r) => r.marks));
  let underscores = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '_' && !(WORD.test(text[i - 1] ?? '') && WORD.test(text[i + 1] ?? ''))) underscores += 1;
  }
  return {
    stars: count(text, '*') + (marks.has('bold') || marks.has('italic') ? 2 : 0),
    underscores,
    tildes: count(text, '~') + (marks.has('strike') ? 2 : 0),
    backticks: count(text, '`') + (marks.has('code') ? 2 : 0),
  };
}

/** `text` (one run, no line breaks) escaped as little as its place allows. */
export function pasteEscape(text: string, context: PasteTextContext): string {
  let body = text;
  let lead = '';
  if (context.atLineStart) {
    body = body.replace(/^[ \t]+/, '');
    [lead, body] = lineStart(body);
  }
  // Only the characters that can be syntax are looked at.
  return (
    lead +
    body.replace(/[\\`*_~\]<&|]/g, (c: string, i: number) => {
      const prev = i > 0 ? body[i - 1] : lead ? lead[lead.length - 1] : context.before;
      const next = i + 1 < body.length ? body[i + 1] : context.after;
      return escapeChar(c, prev, next, c === '&' ? body.slice(i, i + 40) : '', context);
    })
  );
}

function escapeChar(c: string, prev: string, next: string, rest: string, context: PasteTextContext): string {
  const { block } = context;
  switch (c) {
    case '\\':
      // Before punctuation it would escape it; at the end of a line it would be a hard break.
      return next === '' || next === '\n' || PUNCTUATION.test(next) ? '\\\\' : c;
    case '`':
      return block.backticks >= 2 ? '\\`' : c;
    case '*':
      return block.stars >= 2 && !(SPACE.test(prev) && SPACE.test(next)) ? '\\*' : c;
    case '_':
      return block.underscores >= 2 && !(WORD.test(prev) && WORD.test(next)) ? '\\_' : c;
    case '~':
      return block.tildes >= 2 ? '\\~' : c;
    case ']':
      // `[a](b)`, `[a][b]`, `[a]: b` (a definition); a lone `[a]` is text.
      return next === '(' || next === '[' || next === ':' ? '\\]' : c;
    case '<':
      // An HTML tag, comment or autolink starts `<` + letter, `/`, `!` or `?`.
      return /^[A-Za-z/!?]$/.test(next) ? '&lt;' : c;
    case '&':
      return ENTITY.test(rest) ? '&amp;' : c;
    case '|':
      return context.inTable ? '\\|' : c;
    default:
      return c;
  }
}

/** Block syntax at the start of a line: the escaped start, and the rest. */
function lineStart(text: string): [string, string] {
  let match: RegExpExecArray | null;
  if ((match = /^#{1,6}(?=[ \t]|$)/.exec(text))) return [`\\${match[0]}`, text.slice(match[0].length)];
  if (/^([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(text)) return [`\\${text[0]}`, text.slice(1)];
  // An escaped bullet followed by a task box: some readers (TipTap's) still see a task.
  if ((match = /^[-+*]([ \t]+)\[(?=[ xX]\])/.exec(text))) return [`\\${text[0]}${match[1]}\\[`, text.slice(match[0].length)];
  if (/^[-+*](?=[ \t]|$)/.test(text)) return [`\\${text[0]}`, text.slice(1)];
  if ((match = /^(\d{1,9})([.)])(?=[ \t]|$)/.exec(text))) return [`${match[1]}\\${match[2]}`, text.slice(match[0].length)];
  if (/^(?:>|`{3}|~{3}|=+[ \t]*$)/.test(text)) return [`\\${text[0]}`, text.slice(1)];
  if ((match = /^\[[ xX]\](?=[ \t]|$)/.exec(text))) return [`\\${match[0]}`, text.slice(match[0].length)];
  return ['', text];
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n += 1;
  return n;
}
