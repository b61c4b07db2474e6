/**
 * The private methods of `@tiptap/markdown`'s MarkdownManager (3.31.3) that pad-markdown.ts
 * wraps to close the gaps of its serializer, in one place. They are not in the package's types;
 * the manager calls each through `this`, so a replacement set on the instance is what every
 * render uses. The contract test (tests/unit/markdown-manager-internals.test.ts) fails if an
 * upgrade renames one, changes its parameters, or stops calling it for what it renders.
 */
import type { JSONContent } from '@tiptap/core';
import type { MarkdownManager } from '@tiptap/markdown';

export type JSONMark = NonNullable<JSONContent['marks']>[number];

export interface ManagerInternals {
  /** Text of a text node as markdown: HTML entities encoded and `\ ` * _ [ ] ~` escaped (not inside code). */
  encodeTextForMarkdown(text: string, node: JSONContent, parentNode?: JSONContent): string;
  /** One node (and its children) as markdown. */
  renderNodeToMarkdown(node: JSONContent, parentNode?: JSONContent, index?: number, level?: number, meta?: Record<string, unknown>): string;
  /** The markdown that opens a mark (`**`, `[`, a backtick). */
  getMarkOpening(markType: string, mark: JSONMark | undefined, mode?: string): string;
  /** The markdown that closes a mark (`**`, `](href)`, a backtick). */
  getMarkClosing(markType: string, mark: JSONMark | undefined, mode?: string): string;
}

/** The wrapped methods and the parameters each declares (`Function.length`, defaults not counted). */
export const MANAGER_INTERNALS = {
  encodeTextForMarkdown: 3,
  renderNodeToMarkdown: 2,
  getMarkOpening: 2,
  getMarkClosing: 2,
} as const satisfies Record<keyof ManagerInternals, number>;

/**
 * Replaces `name` on this manager with what `wrap` makes of the original (bound to the
 * manager). Throws a TypeError naming the method if the installed version has no such method.
 */
export function wrapManagerInternal<K extends keyof ManagerInternals>(
  manager: MarkdownManager,
  name: K,
  wrap: (original: ManagerInternals[K]) => ManagerInternals[K],
): void {
  const internals = manager as unknown as ManagerInternals;
  const original = internals[name];
  if (typeof original !== 'function') {
    throw new TypeError(`@tiptap/markdown's MarkdownManager has no ${name}(): see common/markdown/markdown-manager-internals.ts`);
  }
  internals[name] = wrap(original.bind(manager) as ManagerInternals[K]);
}
