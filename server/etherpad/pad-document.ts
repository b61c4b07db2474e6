/**
 * An Etherpad atext as a ProseMirror document of the pad schema. Etherpad's text is lines; a
 * line's own attributes (lists, headings) sit on a `*` marker character at its start (`lmkr`):
 *
 * - `list` = bullet<n> / number<n> (with `start`): bullet and ordered lists, nested by level
 *   (a level deeper than the one before it is taken as one deeper);
 * - `heading` = h1..h6 (ep_headings2): headings; `heading` = code: code blocks (consecutive code
 *   lines form one block);
 * - `bold`, `italic`, `underline`, `strikethrough` on characters: marks; URLs in the text
 *   become links, as Etherpad shows them.
 *
 * Other attributes (alignment, colours, fonts, `list` = indent<n>, ...) have no place in a pad
 * here: they are dropped and counted. `author` is not a mark: authorship comes from who wrote
 * each Yjs item (replay.ts).
 *
 * The builder keeps the nodes of the previous build and reuses those whose content is
 * unchanged, so that `updateYFragment` recognises them by identity (one revision of a large pad
 * then costs about its change, not the whole pad).
 */
import type { Mark, Node as PmNode, Schema } from '@tiptap/pm/model';
import { isAllowedLinkHref } from '../../common/extensions.js';
import { attributedLines, type AText, type AttribSet, type Run } from './atext.js';

/** Character attributes that are marks here. */
const MARKS: Readonly<Record<string, string>> = { bold: 'bold', italic: 'italic', underline: 'underline', strikethrough: 'strike' };
/** Attributes that carry structure or authorship, never content: not counted as dropped. */
const STRUCTURAL = new Set(['author', 'lmkr', 'insertorder', 'start', 'list', 'heading']);
const LIST = /^(bullet|number|indent)([1-9][0-9]?)$/;
const HEADING = /^h([1-6])$/;
/** URLs as Etherpad links them in the text. */
const URL_IN_TEXT = /\b(?:(?:https?|ftp|irc|ircs):\/\/|mailto:|www\.)[^\s<>"'`{}|\\^]+/gi;

type LineKind =
  | { kind: 'paragraph' }
  | { kind: 'heading'; level: number }
  | { kind: 'code' }
  | { kind: 'list'; list: 'bullet' | 'number'; level: number; start: number };

interface Line {
  kind: LineKind;
  /** The line's text without its marker. */
  text: string;
  runs: Run[];
  /** Content node for paragraphs, headings and list items (not code lines). */
  node: PmNode | null;
}

/** Attributes dropped from the content: attribute name (or `list=indent`) -> characters or lines carrying it. */
export type DroppedAttributes = Record<string, number>;

export class PadDocumentBuilder {
  private previous = new Map<string, PmNode>();
  private current = new Map<string, PmNode>();
  private readonly ids = new WeakMap<PmNode, number>();
  private nextId = 1;

  constructor(private readonly schema: Schema) {}

  /** The document for `atext`; with `dropped`, also counts what it leaves out. */
  build(atext: AText, dropped?: DroppedAttributes): PmNode {
    const lines: Line[] = [];
    for (const raw of attributedLines(atext)) lines.push(this.line(raw.text, raw.runs, dropped));
    const blocks: PmNode[] = [];
    for (let i = 0; i < lines.length; ) {
      const kind = lines[i].kind;
      if (kind.kind === 'code') {
        const start = i;
        while (i < lines.length && lines[i].kind.kind === 'code') i += 1;
        const text = lines
          .slice(start, i)
          .map((l) => l.text)
          .join('\n');
        blocks.push(this.memo(`code\u0003${text}`, () => this.schema.nodes.codeBlock.create(null, text ? this.schema.text(text) : null)));
      } else if (kind.kind === 'list') {
        const start = i;
        while (i < lines.length && lines[i].kind.kind === 'list') i += 1;
        blocks.push(...this.lists(lines.slice(start, i)));
      } else {
        blocks.push(lines[i].node as PmNode);
        i += 1;
      }
    }
    const doc = this.schema.nodes.doc.create(null, blocks.length > 0 ? blocks : [this.schema.nodes.paragraph.create()]);
    this.previous = this.current;
    this.current = new Map();
    return doc;
  }

  private line(fullText: string, fullRuns: Run[], dropped: DroppedAttributes | undefined): Line {
    let text = fullText;
    let runs = fullRuns;
    let lineAttribs: AttribSet | null = null;
    if (text.startsWith('*') && runs[0]?.attribs.entries.has('lmkr')) {
      lineAttribs = runs[0].attribs;
      text = text.slice(1);
      runs = runs[0].length === 1 ? runs.slice(1) : [{ length: runs[0].length - 1, attribs: runs[0].attribs }, ...runs.slice(1)];
    }
    const kind = lineKind(lineAttribs, dropped);
    if (dropped) countDropped(runs, dropped);
    if (kind.kind === 'code') return { kind, text, runs, node: null };
    const key = `${JSON.stringify(kind)}\u0003${text}\u0003${runs.map((r) => `${r.length}:${r.attribs.id}`).join('\u0004')}`;
    const node = this.memo(key, () => {
      const inline = this.inline(text, runs);
      return kind.kind === 'heading'
        ? this.schema.nodes.heading.create({ level: kind.level }, inline)
        : this.schema.nodes.paragraph.create(null, inline);
    });
    return { kind, text, runs, node };
  }

  /** The line's text nodes: one per run of equal marks, with links where the text has URLs. */
  private inline(text: string, runs: Run[]): PmNode[] {
    const links = linkRanges(text);
    const nodes: PmNode[] = [];
    let pos = 0;
    for (const run of runs) {
      const marks: Mark[] = [];
      for (const [key, value] of run.attribs.entries) {
        const mark = MARKS[key];
        if (mark && value !== '' && value !== 'false') marks.push(this.schema.marks[mark].create());
      }
      // Split the run where links start and end.
      let at = pos;
      const end = pos + run.length;
      while (at < end) {
        const link = links.find((l) => l.end > at && l.start < end);
        const cut = link ? (link.start > at ? link.start : Math.min(link.end, end)) : end;
        const inLink = link !== undefined && link.start <= at;
        const piece = text.slice(at, cut);
        if (piece) nodes.push(this.schema.text(piece, inLink ? [...marks, this.schema.marks.link.create({ href: link.href })] : marks));
        at = cut;
      }
      pos = end;
    }
    return nodes;
  }

  /** Consecutive list lines as nested lists. */
  private lists(lines: Line[]): PmNode[] {
    let i = 0;
    const level = (line: Line) => (line.kind.kind === 'list' ? line.kind.level : 1);
    const atLevel = (depth: number): PmNode[] => {
      const result: PmNode[] = [];
      while (i < lines.length && level(lines[i]) >= depth) {
        const first = lines[i].kind as Extract<LineKind, { kind: 'list' }>;
        const items: PmNode[] = [];
        while (i < lines.length && level(lines[i]) >= depth) {
          const line = lines[i];
          const kind = line.kind as Extract<LineKind, { kind: 'list' }>;
          if (level(line) === depth && kind.list !== first.list) break;
          // A line deeper than any open item counts as an item of this level.
          i += 1;
          const children = [line.node as PmNode];
          if (i < lines.length && level(lines[i]) > depth) children.push(...atLevel(depth + 1));
          items.push(
            this.memoNode(this.schema.nodes.listItem.name, null, children, () => this.schema.nodes.listItem.create(null, children)),
          );
        }
        const attrs = first.list === 'number' ? { start: first.start } : null;
        const type = first.list === 'number' ? this.schema.nodes.orderedList : this.schema.nodes.bulletList;
        result.push(this.memoNode(type.name, attrs, items, () => type.create(attrs, items)));
      }
      return result;
    };
    return atLevel(1);
  }

  private memo(key: string, make: () => PmNode): PmNode {
    const node = this.current.get(key) ?? this.previous.get(key) ?? make();
    this.current.set(key, node);
    return node;
  }

  /** A node with these children: the same object as last time if its children are the same objects. */
  private memoNode(type: string, attrs: object | null, children: readonly PmNode[], make: () => PmNode): PmNode {
    const key = `${type}\u0003${JSON.stringify(attrs)}\u0003${children.map((c) => this.idOf(c)).join(',')}`;
    return this.memo(key, make);
  }

  private idOf(node: PmNode): number {
    let id = this.ids.get(node);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(node, id);
    }
    return id;
  }
}

function lineKind(attribs: AttribSet | null, dropped: DroppedAttributes | undefined): LineKind {
  if (!attribs) return { kind: 'paragraph' };
  if (dropped) {
    for (const key of attribs.entries.keys()) if (!STRUCTURAL.has(key) && !MARKS[key]) dropped[key] = (dropped[key] ?? 0) + 1;
  }
  const list = LIST.exec(attribs.entries.get('list') ?? '');
  if (list) {
    if (list[1] === 'indent') {
      if (dropped) dropped['list=indent'] = (dropped['list=indent'] ?? 0) + 1;
      return { kind: 'paragraph' };
    }
    const start = Number(attribs.entries.get('start') ?? '1');
    return {
      kind: 'list',
      list: list[1] as 'bullet' | 'number',
      level: Math.min(Number(list[2]), 8),
      start: Number.isInteger(start) && start >= 0 ? start : 1,
    };
  }
  const heading = attribs.entries.get('heading');
  if (heading === 'code') return { kind: 'code' };
  const level = HEADING.exec(heading ?? '');
  if (level) return { kind: 'heading', level: Number(level[1]) };
  return { kind: 'paragraph' };
}

function countDropped(runs: Run[], dropped: DroppedAttributes): void {
  for (const run of runs) {
    for (const key of run.attribs.entries.keys()) if (!STRUCTURAL.has(key) && !MARKS[key]) dropped[key] = (dropped[key] ?? 0) + run.length;
  }
}

function linkRanges(text: string): { start: number; end: number; href: string }[] {
  const ranges: { start: number; end: number; href: string }[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    // Trailing punctuation ends a sentence, not the URL.
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    const href = /^www\./i.test(url) ? `https://${url}` : url;
    if (url.length > 4 && isAllowedLinkHref(href)) ranges.push({ start: match.index, end: match.index + url.length, href });
  }
  return ranges;
}
