/**
 * A pad's notes split by the sessions they were written in: each line goes to the session whose
 * time span holds the moment it was written (the server reads that from the pad's history,
 * server/events/line-times.ts), lines written at any other time (or at an unknown time) go to
 * "other". Structure is kept as context: a heading stays over the lines of its section that a
 * session holds, a list item's first line over its nested items; a table and a code block move
 * as one, to the session most of their lines belong to.
 */
import type { JSONContent } from '@tiptap/core';
import { plainText, TEXTBLOCKS, textblockLines } from './inline-lines.js';

/** When each line of one textblock was written (Unix ms; null when unknown). */
export interface TextblockTimes {
  type: string;
  lines: (number | null)[];
}

/** Per textblock of a pad, in document order (depth first), as `textblockLines` splits them. */
export type LineTimes = TextblockTimes[];

export interface SessionWindow {
  label: string;
  /** Unix ms, start inclusive, end exclusive. */
  startsAt: number;
  endsAt: number;
}

export interface SessionNotes {
  /** Null: written outside every session. */
  session: SessionWindow | null;
  doc: JSONContent;
}

/** Lines not written in any session. */
const OTHER = -1;
/** Empty lines belong nowhere. */
const NONE = -2;

/**
 * `doc` split by `sessions` (in their order, then "other"), using `times` (one entry per
 * textblock of `doc`). Groups without a written line are left out. When `times` does not
 * describe `doc` (another number or type of textblocks) every line counts as "other".
 */
export function groupBySession(doc: JSONContent, times: LineTimes, sessions: readonly SessionWindow[]): SessionNotes[] {
  const blocks: JSONContent[] = [];
  const collect = (node: JSONContent) => {
    if (TEXTBLOCKS.has(node.type ?? '')) blocks.push(node);
    else (node.content ?? []).forEach(collect);
  };
  collect(doc);
  const aligned = times.length === blocks.length && times.every((t, i) => t.type === blocks[i].type);
  const groupOf = (time: number | null | undefined) => {
    if (time === null || time === undefined) return OTHER;
    const i = sessions.findIndex((s) => s.startsAt <= time && time < s.endsAt);
    return i < 0 ? OTHER : i;
  };
  const lineGroups = new Map<JSONContent, number[]>();
  blocks.forEach((block, i) => {
    lineGroups.set(
      block,
      textblockLines(block).map((line, j) =>
        plainText({ content: line }).trim() === '' ? NONE : groupOf(aligned ? times[i].lines[j] : null),
      ),
    );
  });

  const out: SessionNotes[] = [];
  for (const group of [...sessions.map((_, i) => i), OTHER]) {
    const kept = new Splitter(lineGroups, group).container(doc);
    if (kept) out.push({ session: group === OTHER ? null : sessions[group], doc: kept });
  }
  return out;
}

/** Keeps the parts of a doc that belong to one group. */
class Splitter {
  constructor(
    private readonly lineGroups: ReadonlyMap<JSONContent, number[]>,
    private readonly group: number,
  ) {}

  /** `node` with only this group's lines, or null when it keeps none. */
  node(node: JSONContent): JSONContent | null {
    if (TEXTBLOCKS.has(node.type ?? '')) return node.type === 'codeBlock' ? this.whole(node) : this.textblock(node);
    if (node.type === 'table') return this.whole(node);
    return this.container(node);
  }

  container(node: JSONContent): JSONContent | null {
    const children = node.content ?? [];
    const kept: JSONContent[] = [];
    let firstKept = false;
    children.forEach((child, i) => {
      const part = child.type === 'heading' ? (this.keepHeading(children, i) ? child : null) : this.node(child);
      if (!part) return;
      kept.push(part);
      if (i === 0) firstKept = true;
    });
    if (!kept.some((c) => c.type !== 'heading')) return null;
    // A list item keeps its first line as context for the nested items this group holds.
    if ((node.type === 'listItem' || node.type === 'taskItem') && !firstKept && children[0]) kept.unshift(children[0]);
    return { ...node, content: kept };
  }

  /** A heading stays over its section's lines in this group; a heading over nothing stays where it was written. */
  private keepHeading(siblings: readonly JSONContent[], at: number): boolean {
    const level = typeof siblings[at].attrs?.level === 'number' ? siblings[at].attrs.level : 1;
    let sectionHasLines = false;
    for (let i = at + 1; i < siblings.length; i += 1) {
      const next = siblings[i];
      if (next.type === 'heading' && (typeof next.attrs?.level === 'number' ? next.attrs.level : 1) <= level) break;
      if (next.type === 'heading') continue;
      if (this.groupsIn(next).some((g) => g !== NONE)) sectionHasLines = true;
      if (this.node(next)) return true;
    }
    return !sectionHasLines && (this.lineGroups.get(siblings[at]) ?? []).includes(this.group);
  }

  private textblock(node: JSONContent): JSONContent | null {
    const groups = this.lineGroups.get(node) ?? [];
    if (!groups.includes(this.group)) return null;
    if (groups.every((g) => g === this.group || g === NONE)) return node;
    const lines = textblockLines(node).filter((_, i) => groups[i] === this.group);
    return { ...node, content: lines.flatMap((line, i) => (i === 0 ? line : [{ type: 'hardBreak' }, ...line])) };
  }

  /** A table or code block moves as one, to the group most of its lines belong to. */
  private whole(node: JSONContent): JSONContent | null {
    const counts = new Map<number, number>();
    for (const g of this.groupsIn(node)) if (g !== NONE) counts.set(g, (counts.get(g) ?? 0) + 1);
    let best = OTHER;
    let most = 0;
    for (const [g, n] of counts) if (n > most || (n === most && g > best)) [best, most] = [g, n];
    return most > 0 && best === this.group ? node : null;
  }

  private groupsIn(node: JSONContent): number[] {
    const own = this.lineGroups.get(node);
    if (own) return own;
    return (node.content ?? []).flatMap((c) => this.groupsIn(c));
  }
}
