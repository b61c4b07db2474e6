/**
 * Markdown recaps of pads and events: a summary gathered across the pads (open action items
 * with team and owner, decisions, open questions), then the notes of each team with their
 * headings demoted so they nest under the team's heading. Pure: callers load the pads.
 *
 * What the summary picks up, per textblock line (a paragraph split at hard breaks):
 * - Action items: task-list items that are not checked. Owners: `@nick` anywhere in the line,
 *   or `(nick)` at its start or end.
 * - Decisions: lines starting with `AGREED:` or `DECISION:`, and every paragraph or list item
 *   under a heading whose text contains "decision".
 * - Open questions: lines starting with `QUESTION:`, and lines ending with `?` under a heading
 *   whose text contains "question".
 */
import type { JSONContent } from '@tiptap/core';
import type { StickyGroup } from '../board/board-doc.js';
import { padMarkdown } from './pad-markdown.js';

export interface ActionItem {
  /** The item's first line as inline markdown. */
  text: string;
  owners: string[];
  team: string | null;
  padId: string;
}

export interface SummaryLine {
  text: string;
  team: string | null;
  padId: string;
}

export interface RecapSummary {
  actions: ActionItem[];
  decisions: SummaryLine[];
  questions: SummaryLine[];
}

export interface RecapPad {
  id: string;
  title?: string | null;
  /** Absolute URL of the pad page. */
  url: string;
  /** The pad's content; null when the pad has never been written. */
  doc: JSONContent | null;
  /** The sticky notes on the pad's board, by colour (`stickiesByColor`); none: no Board section. */
  stickies?: StickyGroup[];
}

export interface RecapTeam {
  slug: string;
  name: string;
  pads: RecapPad[];
}

export interface RecapOptions {
  /** Only the summary, without the teams' notes. */
  summaryOnly?: boolean;
}

const DECISION_PREFIX = /^\s*(AGREED|DECISION)\s*:\s*/i;
const QUESTION_PREFIX = /^\s*QUESTION\s*:\s*/i;
const OWNER_AT = /(?:^|[\s(,;])@([A-Za-z0-9][\w.-]{0,38}[A-Za-z0-9_]|[A-Za-z0-9])/g;
const OWNER_PARENS = /^\s*\(([A-Za-z][\w.-]{0,39})\)|\(([A-Za-z][\w.-]{0,39})\)\s*[.!]?\s*$/;

type Section = 'decisions' | 'questions' | null;

/** The summary items of one pad's content, in document order. */
export function summarizePad(doc: JSONContent, padId: string, team: string | null): RecapSummary {
  const summary: RecapSummary = { actions: [], decisions: [], questions: [] };
  let section: Section = null;
  const visit = (node: JSONContent, inTask: boolean) => {
    switch (node.type) {
      case 'heading': {
        const title = plainText(node).toLowerCase();
        section = title.includes('decision') ? 'decisions' : title.includes('question') ? 'questions' : null;
        return;
      }
      case 'taskItem': {
        const [first, ...rest] = node.content ?? [];
        if (first?.type === 'paragraph' && node.attrs?.checked !== true) {
          const lines = splitLines(first);
          const line = lines[0] ?? [];
          const text = plainText({ type: 'paragraph', content: line });
          if (text.trim() !== '') summary.actions.push({ text: inlineMarkdown(line), owners: ownersOf(text), team, padId });
        }
        for (const child of first?.type === 'paragraph' ? rest : (node.content ?? [])) visit(child, true);
        return;
      }
      case 'paragraph': {
        for (const line of splitLines(node)) {
          const text = plainText({ type: 'paragraph', content: line });
          if (DECISION_PREFIX.test(text)) summary.decisions.push({ text: inlineMarkdown(stripPrefix(line, DECISION_PREFIX)), team, padId });
          else if (QUESTION_PREFIX.test(text)) summary.questions.push({ text: inlineMarkdown(stripPrefix(line, QUESTION_PREFIX)), team, padId });
          else if (section === 'decisions' && !inTask && text.trim() !== '') summary.decisions.push({ text: inlineMarkdown(line), team, padId });
          else if (section === 'questions' && text.trim().endsWith('?')) summary.questions.push({ text: inlineMarkdown(line), team, padId });
        }
        return;
      }
      case 'codeBlock':
        return;
      default:
        for (const child of node.content ?? []) visit(child, inTask);
    }
  };
  visit(doc, false);
  return summary;
}

/** A recap of one pad: its summary, then its notes. */
export function buildPadRecap(pad: RecapPad, options: RecapOptions = {}): string {
  const summary = pad.doc ? summarizePad(pad.doc, pad.id, null) : { actions: [], decisions: [], questions: [] };
  const parts = [heading(1, `Recap: ${pad.title || pad.id}`), `Pad: ${link(pad.id, pad.url)}`, ...summaryMarkdown(summary, false)];
  if (!options.summaryOnly) parts.push(heading(2, 'Notes'), padNotes(pad, 2), ...boardSection(pad, 2));
  return finish(parts);
}

/** A recap of an event: the summary across every team's pads, then one section per team. */
export function buildEventRecap(input: { event: { slug: string; name: string }; teams: RecapTeam[] }, options: RecapOptions = {}): string {
  const summary: RecapSummary = { actions: [], decisions: [], questions: [] };
  for (const team of input.teams) {
    for (const pad of team.pads) {
      if (!pad.doc) continue;
      const s = summarizePad(pad.doc, pad.id, team.name);
      summary.actions.push(...s.actions);
      summary.decisions.push(...s.decisions);
      summary.questions.push(...s.questions);
    }
  }
  const parts = [heading(1, `Recap: ${input.event.name}`), ...summaryMarkdown(summary, true)];
  if (!options.summaryOnly) {
    for (const team of input.teams) {
      parts.push(heading(2, team.name));
      const several = team.pads.length > 1;
      for (const pad of team.pads) {
        if (several) parts.push(heading(3, pad.title || pad.id));
        parts.push(`Pad: ${link(pad.id, pad.url)}`, padNotes(pad, several ? 3 : 2), ...boardSection(pad, several ? 4 : 3));
      }
    }
  }
  return finish(parts);
}

function summaryMarkdown(summary: RecapSummary, withTeams: boolean): string[] {
  const where = (item: { team: string | null }) => (withTeams && item.team ? ` (${inlineMarkdown([{ type: 'text', text: item.team }])})` : '');
  const list = (lines: string[]) => (lines.length ? lines.join('\n') : '_None._');
  return [
    heading(2, 'Summary'),
    heading(3, 'Action items'),
    list(
      summary.actions.map((a) => {
        const owner = a.owners.length ? ` — owner: ${a.owners.map((o) => `@${o}`).join(', ')}` : '';
        return `- [ ] ${a.text}${where(a)}${owner}`;
      }),
    ),
    heading(3, 'Decisions'),
    list(summary.decisions.map((d) => `- ${d.text}${where(d)}`)),
    heading(3, 'Open questions'),
    list(summary.questions.map((q) => `- ${q.text}${where(q)}`)),
  ];
}

/** "Board": the pad's sticky notes grouped by colour, one list item per note (lines joined). */
function boardSection(pad: RecapPad, level: number): string[] {
  const groups = (pad.stickies ?? []).filter((g) => g.texts.length > 0);
  if (groups.length === 0) return [];
  const parts = [heading(level, 'Board')];
  for (const group of groups) {
    const colour = group.color.charAt(0).toUpperCase() + group.color.slice(1);
    parts.push(heading(Math.min(6, level + 1), `${colour} notes`));
    parts.push(group.texts.map((text) => `- ${inlineMarkdown([{ type: 'text', text: text.replace(/\s*\n\s*/g, ' / ') }])}`).join('\n'));
  }
  return parts;
}

function padNotes(pad: RecapPad, parentLevel: number): string {
  if (!pad.doc || (pad.doc.content ?? []).every((n) => n.type === 'paragraph' && !(n.content ?? []).length)) return '_No notes yet._';
  return padMarkdown().serialize(demoteHeadings(pad.doc, parentLevel)).trimEnd() || '_No notes yet._';
}

/** Moves every heading down `by` levels (at most to level 6), so notes nest under a section. */
export function demoteHeadings(node: JSONContent, by: number): JSONContent {
  const copy: JSONContent = { ...node };
  if (node.type === 'heading') {
    const level = typeof node.attrs?.level === 'number' ? node.attrs.level : 1;
    copy.attrs = { ...node.attrs, level: Math.min(6, level + by) };
  }
  if (node.content) copy.content = node.content.map((c) => demoteHeadings(c, by));
  return copy;
}

/** The owners a line names: `@nick` anywhere, or `(nick)` at its start or end. */
export function ownersOf(line: string): string[] {
  const owners = new Set<string>();
  for (const match of line.matchAll(OWNER_AT)) owners.add(match[1]);
  const parens = OWNER_PARENS.exec(line);
  if (parens) owners.add(parens[1] ?? parens[2]);
  return Array.from(owners);
}

function splitLines(paragraph: JSONContent): JSONContent[][] {
  const lines: JSONContent[][] = [[]];
  for (const child of paragraph.content ?? []) {
    if (child.type === 'hardBreak') lines.push([]);
    else lines[lines.length - 1].push(child);
  }
  return lines.filter((l) => l.length > 0);
}

function stripPrefix(line: JSONContent[], prefix: RegExp): JSONContent[] {
  const [first, ...rest] = line;
  if (first?.type !== 'text' || !first.text) return line;
  const text = first.text.replace(prefix, '');
  return text ? [{ ...first, text }, ...rest] : rest;
}

function plainText(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(plainText).join('');
}

/** Inline nodes as one line of markdown, escaped like any pad text. */
function inlineMarkdown(content: JSONContent[]): string {
  if (content.length === 0) return '';
  return padMarkdown()
    .serialize({ type: 'doc', content: [{ type: 'paragraph', content }] })
    .trim()
    .replace(/\s*\n\s*/g, ' ');
}

function heading(level: number, text: string): string {
  return padMarkdown().serialize({ type: 'doc', content: [{ type: 'heading', attrs: { level }, content: [{ type: 'text', text }] }] }).trim();
}

function link(text: string, url: string): string {
  return padMarkdown().serialize({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text, marks: [{ type: 'link', attrs: { href: url, title: null } }] }] }] }).trim();
}

function finish(parts: string[]): string {
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}
