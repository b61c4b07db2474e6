/**
 * Markdown people type, beyond what the schema's own extensions turn into formatting:
 * - `[text](url)` becomes "text" linked to url (when the closing parenthesis is typed);
 * - `- [ ] ` and `* [ ] ` start a task item, `- [x] ` a checked one. `- ` has already made a
 *   bullet item by then, and TaskItem's own rule (`[ ] ` at the start of a paragraph) cannot
 *   wrap a paragraph that sits in a list item, so this rule turns that item into a task;
 * - `[x] ` (or `[ ] `) at the start of a task item (the next one after Enter) checks (unchecks) it.
 */
import { Extension, InputRule } from '@tiptap/core';
import { isAllowedLinkHref } from '../../../common/extensions.js';
import { withScheme } from './link-dialog.js';

/** `[text](url)` at the end of the typed text; not an image (`![alt](src)`) nor escaped (`\[`). */
export const MARKDOWN_LINK = /(?:^|[^!\\])(\[([^[\]]+)\]\(([^()\s]+)\))$/;
/** `[ ] `, `[x] ` at the start of a bullet item's first paragraph. */
const TASK_IN_LIST = /^\[([ xX]?)\]\s$/;

const linkRule = new InputRule({
  find: MARKDOWN_LINK,
  handler: ({ state, range, match }) => {
    const [whole, markdown, text, address] = match;
    const href = withScheme(address);
    const link = state.schema.marks.link;
    if (!link || !isAllowedLinkHref(href)) return null;
    const from = range.from + (whole.length - markdown.length);
    const marks = state.doc
      .resolve(from)
      .marks()
      .filter((mark) => mark.type !== link);
    state.tr.replaceWith(from, range.to, state.schema.text(text, [...marks, link.create({ href })]));
    // The link mark is inclusive (autolink): what is typed next must not extend it.
    state.tr.setStoredMarks(marks);
    return undefined;
  },
});

const taskInListRule = new InputRule({
  find: TASK_IN_LIST,
  handler: ({ state, range, match, chain }) => {
    const $from = state.doc.resolve(range.from);
    const item = $from.depth >= 3 ? $from.node(-1) : null;
    const list = $from.depth >= 3 ? $from.node(-2) : null;
    if ($from.index(-1) !== 0) return null;
    const checked = match[1].toLowerCase() === 'x';
    if (item?.type.name === 'taskItem') {
      chain().deleteRange(range).updateAttributes('taskItem', { checked }).run();
      return undefined;
    }
    if (item?.type.name !== 'listItem' || list?.type.name !== 'bulletList') return null;
    chain().deleteRange(range).toggleList('taskList', 'taskItem').updateAttributes('taskItem', { checked }).run();
    return undefined;
  },
});

export const MarkdownInputRules = Extension.create({
  name: 'gatherpadMarkdownInputRules',
  addInputRules() {
    return [linkRule, taskInListRule];
  },
});
