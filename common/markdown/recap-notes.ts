/**
 * A pad's notes made ready to sit inside a recap: empty paragraphs and the pad's own marks that
 * other tools do not know (highlight, underline) go, a title heading at the top is taken out
 * (the recap names the pad itself), and heading levels are renumbered to follow on from the
 * recap's heading above them without gaps.
 */
import type { JSONContent } from '@tiptap/core';
import { plainText } from './inline-lines.js';

/** Marks that CommonMark, e-mail and most wikis cannot show: their text stays, plain. */
const DROPPED_MARKS = new Set(['highlight', 'underline']);

/** The notes' blocks, cleaned (see the module comment); the doc itself is not changed. */
export function cleanNotes(doc: JSONContent): JSONContent[] {
  return (clean(doc).content ?? []).filter((b) => !isEmptyParagraph(b));
}

function clean(node: JSONContent): JSONContent {
  const copy: JSONContent = { ...node };
  if (node.marks) {
    copy.marks = node.marks.filter((m) => !DROPPED_MARKS.has(m.type));
    if (copy.marks.length === 0) delete copy.marks;
  }
  if (node.content) {
    const children = node.content.map(clean);
    // A list item or table cell must keep one block; elsewhere empty paragraphs are only spacing.
    const kept = children.filter((c) => !isEmptyParagraph(c));
    copy.content = kept.length > 0 || node.type === 'doc' ? kept : children.slice(0, 1);
  }
  return copy;
}

function isEmptyParagraph(node: JSONContent): boolean {
  return (
    node.type === 'paragraph' &&
    plainText(node).trim() === '' &&
    !(node.content ?? []).some((c) => c.type !== 'text' && c.type !== 'hardBreak')
  );
}

/**
 * The pad's title heading: its first block when that is a heading and no later heading is at
 * its level or above (`# Nova PTG` over `##` sections). Null otherwise.
 */
export function titleHeading(blocks: readonly JSONContent[]): string | null {
  const [first, ...rest] = blocks;
  if (first?.type !== 'heading') return null;
  const level = headingLevel(first);
  if (rest.some((b) => b.type === 'heading' && headingLevel(b) <= level)) return null;
  return plainText(first).trim() || null;
}

/** `blocks` without the title heading (`titleHeading`), if there is one. */
export function withoutTitle(blocks: readonly JSONContent[]): JSONContent[] {
  return titleHeading(blocks) === null ? [...blocks] : blocks.slice(1);
}

/** The text of the first heading anywhere in `doc`, or null. */
export function firstHeading(doc: JSONContent | null): string | null {
  if (!doc) return null;
  if (doc.type === 'heading') return plainText(doc).trim() || null;
  for (const child of doc.content ?? []) {
    const found = firstHeading(child);
    if (found) return found;
  }
  return null;
}

/**
 * Renumbers the headings in `blocks` (top level and nested) so the shallowest becomes `base`
 * and each deeper level used becomes the next one: 2, 3, 5 under base 4 become 4, 5, 6.
 * Levels past 6 stay 6.
 */
export function normalizeHeadings(blocks: readonly JSONContent[], base: number): JSONContent[] {
  const used = new Set<number>();
  const collect = (node: JSONContent) => {
    if (node.type === 'heading') used.add(headingLevel(node));
    for (const child of node.content ?? []) collect(child);
  };
  blocks.forEach(collect);
  const levels = new Map(
    Array.from(used)
      .sort((a, b) => a - b)
      .map((level, i) => [level, Math.min(6, base + i)]),
  );
  const apply = (node: JSONContent): JSONContent => {
    const copy: JSONContent = { ...node };
    if (node.type === 'heading') copy.attrs = { ...node.attrs, level: levels.get(headingLevel(node)) ?? base };
    if (node.content) copy.content = node.content.map(apply);
    return copy;
  };
  return blocks.map(apply);
}

function headingLevel(node: JSONContent): number {
  return typeof node.attrs?.level === 'number' ? node.attrs.level : 1;
}
