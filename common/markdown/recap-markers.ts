/**
 * The markers PTG notes use, read from one line of plain text. Pure string functions; the
 * recap summary (recap-summary.ts) applies them to every line of a pad.
 *
 * A marker counts at the start of a line, or after a list marker typed as text (`- `, `* `,
 * `+ `, `• `, `1. `, `1) `), and needs text after it. Case does not matter.
 *
 * | marker                                  | kind      | owners                         |
 * |-----------------------------------------|-----------|--------------------------------|
 * | `ACTION(nick): ...`, `ACTION ITEM(nick):` | action  | the names in the parentheses   |
 * | `ACTION: ...`, `ACTION ITEM: ...`       | action    | from the text (below)          |
 * | `#action nick ...` (meetbot)            | action    | the first word after `#action` |
 * | `TODO(nick): ...`, `TODO: ...`          | action    | parentheses, else the text     |
 * | `AI(nick): ...` (parentheses required)  | action    | the names in the parentheses   |
 * | `[ ] ...`, `- [ ] ...` (and task lists) | action    | from the text                  |
 * | `[x] ...` (done)                        | left out  |                                |
 * | `AGREED: ...`, `#agreed ...`            | decision  |                                |
 * | `DECISION: ...`, `DECIDED: ...`         | decision  |                                |
 * | `#info ...`                             | info      |                                |
 * | `#link ...`                             | link      |                                |
 * | `QUESTION: ...`                         | question  |                                |
 *
 * Owners from an action's text: a leading `nick:` (`alice: write the spec`), `(nick)` at its
 * start or end, and `@nick` anywhere. A leading word that is a common label rather than a nick
 * (`Note:`, `Status:`, `https:` ...; OWNER_STOPWORDS) is not an owner. Owner markers at the
 * start or end of the text are dropped from the item's text (the recap writes owners itself);
 * `@nick` in the middle of a sentence stays.
 */

export type MarkerKind = 'action' | 'decision' | 'info' | 'link' | 'question';

export interface LineMarker {
  kind: MarkerKind | 'done';
  /** UTF-16 length of what precedes the item's text: list marker, marker, owner prefix. */
  prefixLength: number;
  /** UTF-16 length of owner markers at the end of the line (`(alice)`, `@alice`). */
  suffixLength: number;
  /** Owners, in the order they appear, without `@`. */
  owners: string[];
}

/** An IRC or forge nick: letters, digits, `_`, `-`, `|`, and dots inside. */
const NICK = String.raw`[A-Za-z0-9_](?:[\w.|-]{0,38}[\w|])?`;
const NICK_LIST = String.raw`${NICK}(?:\s*(?:,|/|&|\band\b)\s*@?${NICK})*`;

/** Words that start lines as labels (`Note: ...`), never owners. Lowercase. */
export const OWNER_STOPWORDS: ReadonlySet<string> = new Set([
  'a',
  'agreed',
  'all',
  'also',
  'an',
  'answer',
  'action',
  'background',
  'bug',
  'context',
  'conclusion',
  'decision',
  'eg',
  'eta',
  'everybody',
  'everyone',
  'example',
  'file',
  'fyi',
  'ftp',
  'how',
  'http',
  'https',
  'i',
  'ie',
  'idea',
  'info',
  'issue',
  'link',
  'mailto',
  'nb',
  'next',
  'note',
  'notes',
  'outcome',
  'owner',
  'people',
  'problem',
  'proposal',
  'ps',
  'q',
  'question',
  're',
  'result',
  'someone',
  'somebody',
  'status',
  'summary',
  'team',
  'the',
  'they',
  'todo',
  'update',
  'us',
  'we',
  'what',
  'when',
  'where',
  'who',
  'why',
  'you',
  // Parenthesised notes that are not people.
  'blocked',
  'done',
  'draft',
  'later',
  'maybe',
  'ongoing',
  'optional',
  'stretch',
  'tbd',
  'urgent',
  'wip',
]);

const LIST_PREFIX = /^\s*(?:(?:[-*+•]|\d{1,9}[.)])\s+)?/;
const TASK_BOX = /^\[( |x|X)\]\s+(?=\S)/;

interface MarkerRule {
  pattern: RegExp;
  kind: MarkerKind;
  /** How the owners are found: in the marker's parentheses (group 1), the first word, or the text. */
  owners: 'parens' | 'first-word' | 'text' | 'none';
}

const RULES: readonly MarkerRule[] = [
  { pattern: /^(?:action(?:[ \t]+item)?|todo)[ \t]*\([ \t]*([^)]*?)[ \t]*\)[ \t]*:[ \t]*(?=\S)/i, kind: 'action', owners: 'parens' },
  // "AI" is also a word: only with a nick in the parentheses.
  { pattern: new RegExp(String.raw`^ai[ \t]*\([ \t]*(@?${NICK_LIST})[ \t]*\)[ \t]*:[ \t]*(?=\S)`, 'i'), kind: 'action', owners: 'parens' },
  { pattern: /^(?:action(?:[ \t]+item)?|todo)[ \t]*:[ \t]*(?=\S)/i, kind: 'action', owners: 'text' },
  { pattern: /^#action:?[ \t]+(?=\S)/i, kind: 'action', owners: 'first-word' },
  { pattern: /^(?:agreed|decision|decided)[ \t]*:[ \t]*(?=\S)/i, kind: 'decision', owners: 'none' },
  { pattern: /^#agreed:?[ \t]+(?=\S)/i, kind: 'decision', owners: 'none' },
  { pattern: /^#info:?[ \t]+(?=\S)/i, kind: 'info', owners: 'none' },
  { pattern: /^#link:?[ \t]+(?=\S)/i, kind: 'link', owners: 'none' },
  { pattern: /^question[ \t]*:[ \t]*(?=\S)/i, kind: 'question', owners: 'none' },
];

/** The marker a line starts with, or null. `[x]` lines come back as `done`. */
export function lineMarker(line: string): LineMarker | null {
  const list = LIST_PREFIX.exec(line)?.[0].length ?? 0;
  const rest = line.slice(list);
  const box = TASK_BOX.exec(rest);
  if (box) {
    const at = list + box[0].length;
    if (box[1] !== ' ') return { kind: 'done', prefixLength: at, suffixLength: 0, owners: [] };
    // `[ ] ACTION(nick): ...`: the marker's owners count.
    const inner = ruleMarker(line, at);
    return inner?.kind === 'action' ? inner : withTextOwners(line, at, []);
  }
  return ruleMarker(line, list);
}

/** The marker of RULES at `start` of `line`, or null. */
function ruleMarker(line: string, start: number): LineMarker | null {
  const rest = line.slice(start);
  for (const rule of RULES) {
    const match = rule.pattern.exec(rest);
    if (!match) continue;
    const at = start + match[0].length;
    switch (rule.owners) {
      case 'none':
        return { kind: rule.kind, prefixLength: at, suffixLength: 0, owners: [] };
      case 'parens':
        return withTextOwners(line, at, splitNicks(match[1] ?? ''));
      case 'first-word': {
        const word = new RegExp(String.raw`^@?(${NICK})[:,]?[ \t]+(?=\S)`).exec(line.slice(at));
        if (word && !OWNER_STOPWORDS.has(word[1].toLowerCase())) return withTextOwners(line, at + word[0].length, [word[1]]);
        return withTextOwners(line, at, []);
      }
      case 'text':
        return withTextOwners(line, at, []);
    }
  }
  return null;
}

/** An action item's owners as its text names them (a task list item has no marker). */
export function actionOwners(text: string): LineMarker {
  return withTextOwners(text, 0, []);
}

const LEADING_NICK = new RegExp(String.raw`^@?(${NICK}):[ \t]+(?=\S)`);
const LEADING_PARENS = new RegExp(String.raw`^\((${NICK_LIST})\)[ \t]*(?=\S)`);
const TRAILING_PARENS = new RegExp(String.raw`[ \t]*\((${NICK_LIST})\)[ \t]*[.!]?[ \t]*$`);
const TRAILING_ATS = new RegExp(String.raw`[ \t]+[-–—][ \t]*@${NICK}(?:[ \t]*[, ][ \t]*@${NICK})*[ \t]*[.!]?[ \t]*$`);
const ANY_AT = new RegExp(String.raw`(?<![\w@.])@(${NICK})`, 'g');

/** Adds the owners named in `line` after `start` to `owners`; owner markers at either end become prefix and suffix. */
function withTextOwners(line: string, start: number, owners: string[]): LineMarker {
  const found = [...owners];
  let prefixLength = start;
  let text = line.slice(start);
  const leading = LEADING_NICK.exec(text);
  if (leading && !OWNER_STOPWORDS.has(leading[1].toLowerCase()) && !text.slice(leading[0].length).startsWith('//')) {
    found.push(leading[1]);
    prefixLength += leading[0].length;
    text = text.slice(leading[0].length);
  } else {
    const parens = LEADING_PARENS.exec(text);
    if (parens && splitNicks(parens[1]).length > 0) {
      found.push(...splitNicks(parens[1]));
      prefixLength += parens[0].length;
      text = text.slice(parens[0].length);
    }
  }
  let suffixLength = 0;
  const trailing = TRAILING_PARENS.exec(text) ?? TRAILING_ATS.exec(text);
  const trailingNicks = trailing
    ? trailing[1] !== undefined
      ? splitNicks(trailing[1])
      : Array.from(trailing[0].matchAll(ANY_AT), (m) => m[1])
    : [];
  if (trailing && trailing.index > 0 && trailingNicks.length > 0) {
    suffixLength = text.length - trailing.index;
    found.push(...trailingNicks);
  }
  for (const match of text.slice(0, text.length - suffixLength).matchAll(ANY_AT)) found.push(match[1]);
  return { kind: 'action', prefixLength, suffixLength, owners: unique(found) };
}

/** The nicks in `alice, bob`, `alice/bob`, `alice & bob`, `alice and bob`; stopwords are not nicks. */
function splitNicks(list: string): string[] {
  const nick = new RegExp(String.raw`^@?(${NICK})$`);
  return list
    .split(/\s*(?:,|\/|&|\band\b)\s*|\s+/)
    .map((part) => nick.exec(part.trim())?.[1])
    .filter((n): n is string => n !== undefined && !OWNER_STOPWORDS.has(n.toLowerCase()));
}

function unique(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = n.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
