/**
 * Recaps of pads and events, the summaries teams post after a gathering: per team, the action
 * items (with owners), decisions, open questions, `#info` notes and `#link`s found in its pads
 * (recap-summary.ts), then the notes themselves, headings renumbered to sit under the team's
 * (recap-notes.ts); optionally grouped by the sessions the team held (recap-sessions.ts).
 * A fork of a pad is listed but its notes and items are left out: they repeat its origin's.
 *
 * A recap is built once as pad content (ProseMirror JSON, one part per team) and written out
 * as markdown made for pasting (pad-markdown.ts, paste style), as plain text wrapped at 72
 * columns for e-mail (wrapped-text.ts), or as HTML for a preview (pad-html.ts). Pure: callers
 * load the pads, their history and the schedule.
 */
import type { JSONContent } from '@tiptap/core';
import type { StickyGroup } from '../board/board-doc.js';
import { padToHtmlFragment } from './pad-html.js';
import { padMarkdown } from './pad-markdown.js';
import { plainText } from './inline-lines.js';
import type { MarkerKind } from './recap-markers.js';
import { cleanNotes, firstHeading, normalizeHeadings, titleHeading, withoutTitle } from './recap-notes.js';
import { groupBySession, type LineTimes, type SessionWindow } from './recap-sessions.js';
import { summarizePad, type RecapItem } from './recap-summary.js';
import { docToWrappedText } from './wrapped-text.js';

export interface RecapPad {
  id: string;
  /** The title people gave the pad, if any. */
  title?: string | null;
  /** Absolute URL of the pad page. */
  url: string;
  /** The pad's content; null when the pad has never been written. */
  doc: JSONContent | null;
  /** The sticky notes on the pad's board, by colour (`stickiesByColor`); none: no Board section. */
  stickies?: StickyGroup[];
  /** Set when the pad is a fork of another: listed, but its notes and items are left out. */
  forkOf?: { padId: string; rev: number } | null;
  /** When each line was written (by-session recaps); null or missing: unknown. */
  lineTimes?: LineTimes | null;
}

export interface RecapTeam {
  slug: string;
  name: string;
  pads: RecapPad[];
  /** The team's booked blocks, in time order (by-session recaps). */
  sessions?: SessionWindow[];
}

export interface RecapOptions {
  /** Only the summary, without the teams' notes. */
  summaryOnly?: boolean;
  /** Notes grouped by the team's sessions, from when each line was written. */
  bySession?: boolean;
}

/** How many items of each kind a part of a recap lists. */
export type RecapCounts = Record<MarkerKind, number>;

export interface RecapPart {
  slug: string;
  name: string;
  /** The part's blocks, starting with its level-2 heading. */
  blocks: JSONContent[];
  counts: RecapCounts;
}

export interface Recap {
  /** The event's name, or the pad's. */
  name: string;
  title: string;
  /** Heading and introduction, before the teams. */
  head: JSONContent[];
  teams: RecapPart[];
}

const SECTIONS: readonly [MarkerKind, string][] = [
  ['action', 'Action items'],
  ['decision', 'Decisions'],
  ['question', 'Open questions'],
  ['info', 'Information'],
  ['link', 'Links'],
];

/** A recap of an event: an introduction, then one part per team. */
export function eventRecap(input: { event: { name: string; url: string }; teams: RecapTeam[] }, options: RecapOptions = {}): Recap {
  const title = `Recap: ${input.event.name}`;
  const names = input.teams.map((t) => t.name);
  const intro =
    names.length === 0
      ? 'No teams yet.'
      : `Notes of ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`} at `;
  return {
    name: input.event.name,
    title,
    head: [heading(1, title), paragraph(text(intro), ...(names.length ? [linkTo(input.event.name, input.event.url), text('.')] : []))],
    teams: input.teams.map((team) => teamPart(team, options)),
  };
}

/** A recap of one pad: its summary, then its notes. */
export function padRecap(pad: RecapPad, options: RecapOptions = {}): Recap {
  const title = `Recap: ${padLabel(pad)}`;
  const items = pad.doc ? summarizePad(pad.doc) : [];
  const head = [heading(1, title), paragraph(text('Pad: '), linkTo(padLabel(pad), pad.url)), ...summaryBlocks(items, 2)];
  if (!options.summaryOnly) head.push(heading(2, 'Notes'), ...notesBlocks(pad.doc, 3), ...boardBlocks(pad, 2, 'Board'));
  return { name: padLabel(pad), title, head, teams: [] };
}

/** The whole recap, or one team's part, as one document. */
export function recapDoc(recap: Recap, team?: string): JSONContent {
  const parts =
    team === undefined
      ? [...recap.head, ...recap.teams.flatMap((t) => t.blocks)]
      : (recap.teams.find((t) => t.slug === team)?.blocks ?? []);
  return { type: 'doc', content: parts };
}

/** Markdown made for pasting (no escapes where CommonMark needs none). */
export function recapMarkdown(recap: Recap, team?: string): string {
  return writeParts(recap, team, (doc) => padMarkdown().serialize(doc, { style: 'paste' }), '\n');
}

/** Plain text for e-mail, wrapped at 72 columns. */
export function recapText(recap: Recap, team?: string): string {
  return writeParts(recap, team, (doc) => docToWrappedText(doc), '\n');
}

/** HTML (a fragment, everything escaped) for a preview. */
export function recapHtml(recap: Recap, team?: string): string {
  return writeParts(recap, team, (doc) => padToHtmlFragment(doc), '');
}

/** A recap written whole and per team, each part written once (the recap page shows both). */
export function writeRecap(recap: Recap): { markdown: string; text: string; teams: { markdown: string; text: string; html: string }[] } {
  const write = (blocks: JSONContent[]) => {
    const doc: JSONContent = { type: 'doc', content: blocks };
    return { markdown: padMarkdown().serialize(doc, { style: 'paste' }), text: docToWrappedText(doc), html: padToHtmlFragment(doc) };
  };
  const head = write(recap.head);
  const teams = recap.teams.map((t) => write(t.blocks));
  const join = (key: 'markdown' | 'text') => [head[key], ...teams.map((t) => t[key])].filter(Boolean).join('\n');
  return { markdown: join('markdown'), text: join('text'), teams };
}

/**
 * The recap, or one team's part, written by `write`. Each part is written on its own and the
 * parts joined: every part starts with a heading, so this is what writing them as one document
 * gives (blocks are separated by a blank line), and the recap page can reuse the parts.
 */
function writeParts(recap: Recap, team: string | undefined, write: (doc: JSONContent) => string, separator: string): string {
  const parts =
    team === undefined ? [recap.head, ...recap.teams.map((t) => t.blocks)] : [recap.teams.find((t) => t.slug === team)?.blocks ?? []];
  return parts
    .map((blocks) => write({ type: 'doc', content: blocks }))
    .filter(Boolean)
    .join(separator);
}

/** What a pad is called: the title people gave it, else its first heading, else its id. */
export function padLabel(pad: Pick<RecapPad, 'id' | 'title' | 'doc'>): string {
  return pad.title?.trim() || firstHeading(pad.doc) || pad.id;
}

function teamPart(team: RecapTeam, options: RecapOptions): RecapPart {
  const pads = team.pads.filter((p) => !p.forkOf);
  const forks = team.pads.filter((p) => p.forkOf);
  const items = pads.flatMap((p) => (p.doc ? summarizePad(p.doc) : []));
  const blocks: JSONContent[] = [heading(2, team.name)];
  if (pads.length > 0) {
    const links = pads.flatMap((p, i) => [...(i > 0 ? [text(', ')] : []), linkTo(padLabel(p), p.url)]);
    blocks.push(paragraph(text(pads.length === 1 ? 'Pad: ' : 'Pads: '), ...links));
  }
  if (forks.length > 0) {
    const links = forks.flatMap((p, i) => [
      ...(i > 0 ? [text(', ')] : []),
      linkTo(p.id, p.url),
      text(` (of ${p.forkOf?.padId} at revision ${p.forkOf?.rev})`),
    ]);
    blocks.push(paragraph(text(forks.length === 1 ? 'Fork, left out of this recap: ' : 'Forks, left out of this recap: '), ...links));
  }
  blocks.push(...summaryBlocks(items, 3));
  if (!options.summaryOnly) {
    const notes = options.bySession ? sessionNotes(pads, team.sessions ?? []) : padNotes(pads);
    blocks.push(...notes);
    const several = pads.filter((p) => (p.stickies ?? []).some((g) => g.texts.length > 0)).length > 1;
    for (const pad of pads) blocks.push(...boardBlocks(pad, 3, several ? `Board: ${padLabel(pad)}` : 'Board'));
    if (!notes.length && !items.length) blocks.push(paragraph({ type: 'text', text: 'No notes yet.', marks: [{ type: 'italic' }] }));
  }
  const counts = Object.fromEntries(SECTIONS.map(([kind]) => [kind, items.filter((i) => i.kind === kind).length])) as RecapCounts;
  return { slug: team.slug, name: team.name, blocks, counts };
}

function summaryBlocks(items: readonly RecapItem[], level: number): JSONContent[] {
  const blocks: JSONContent[] = [];
  for (const [kind, title] of SECTIONS) {
    const ofKind = items.filter((i) => i.kind === kind);
    if (ofKind.length === 0) continue;
    blocks.push(heading(level, title));
    if (kind === 'action') {
      blocks.push(actionList(ofKind));
    } else {
      blocks.push({ type: 'bulletList', content: ofKind.map((i) => ({ type: 'listItem', content: [paragraph(...i.content)] })) });
    }
  }
  return blocks;
}

/** Action items as an unchecked task list. */
export function actionList(items: readonly RecapItem[]): JSONContent {
  return {
    type: 'taskList',
    content: items.map((i) => ({ type: 'taskItem', attrs: { checked: false }, content: [paragraph(...actionLine(i))] })),
  };
}

/** An action item's line: `alice, bob: ` for owners its text does not already name as `@nick`, then the text. */
export function actionLine(item: RecapItem): JSONContent[] {
  const shown = plainText({ content: item.content }).toLowerCase();
  const hidden = item.owners.filter((o) => !shown.includes(`@${o.toLowerCase()}`));
  return hidden.length ? [text(`${hidden.join(', ')}: `), ...item.content] : item.content;
}

/** Each pad's notes under a level-3 heading ("Notes", or "Notes: <pad>" for several pads). */
function padNotes(pads: readonly RecapPad[]): JSONContent[] {
  const written = pads.filter((p) => notesBlocks(p.doc, 4).length > 0);
  return written.flatMap((p) => [heading(3, written.length > 1 ? `Notes: ${padLabel(p)}` : 'Notes'), ...notesBlocks(p.doc, 4)]);
}

/** A level-3 heading per session ("Tuesday 14:00-16:00, room Bexar"), then "Other notes". */
function sessionNotes(pads: readonly RecapPad[], sessions: readonly SessionWindow[]): JSONContent[] {
  const groups = pads.map((pad) => ({ pad, groups: pad.doc ? groupBySession(pad.doc, pad.lineTimes ?? [], sessions) : [] }));
  const blocks: JSONContent[] = [];
  for (const session of [...sessions, null]) {
    const parts = groups
      .map(({ pad, groups: g }) => ({ pad, doc: g.find((x) => x.session === session)?.doc ?? null }))
      .map(({ pad, doc }) => ({ pad, notes: notesBlocks(doc, 0) }))
      .filter((p) => p.notes.length > 0);
    if (session === null && parts.length === 0) continue;
    blocks.push(heading(3, session ? session.label : 'Other notes'));
    if (parts.length === 0)
      blocks.push(paragraph({ type: 'text', text: 'Nothing was written during this session.', marks: [{ type: 'italic' }] }));
    for (const { pad, notes } of parts) {
      if (parts.length > 1) blocks.push(heading(4, padLabel(pad)));
      blocks.push(...normalizeHeadings(notes, parts.length > 1 ? 5 : 4));
    }
  }
  return blocks;
}

/** A pad's notes, cleaned, without its title heading, headings from `base` (0: as they are). */
function notesBlocks(doc: JSONContent | null, base: number): JSONContent[] {
  if (!doc) return [];
  const blocks = cleanNotes(doc);
  const body = titleHeading(blocks) !== null && blocks.length > 1 ? withoutTitle(blocks) : blocks;
  return base > 0 ? normalizeHeadings(body, base) : body;
}

/** "Board": the pad's sticky notes grouped by colour, one list item per note (lines joined). */
function boardBlocks(pad: RecapPad, level: number, title: string): JSONContent[] {
  const groups = (pad.stickies ?? []).filter((g) => g.texts.length > 0);
  if (groups.length === 0) return [];
  const blocks = [heading(level, title)];
  for (const group of groups) {
    blocks.push(heading(Math.min(6, level + 1), `${group.color.charAt(0).toUpperCase()}${group.color.slice(1)} notes`));
    blocks.push({
      type: 'bulletList',
      content: group.texts.map((t) => ({ type: 'listItem', content: [paragraph(text(t.replace(/\s*\n\s*/g, ' / ')))] })),
    });
  }
  return blocks;
}

function heading(level: number, title: string): JSONContent {
  return { type: 'heading', attrs: { level }, content: [text(title)] };
}

function paragraph(...content: JSONContent[]): JSONContent {
  return { type: 'paragraph', content: content.filter((c) => c.type !== 'text' || c.text) };
}

function text(value: string): JSONContent {
  return { type: 'text', text: value };
}

function linkTo(label: string, href: string): JSONContent {
  return { type: 'text', text: label, marks: [{ type: 'link', attrs: { href, title: null } }] };
}
