/**
 * What the pad toolbar offers, as plain specs: the toolbar renders them and asks them for
 * their state after every transaction. Shortcuts are TipTap's defaults (plus Mod-k for links);
 * they are listed here for tooltips only.
 */
import type { Editor } from '@tiptap/core';
import { editLink } from './link-dialog.js';

export interface ToolbarButtonSpec {
  id: string;
  label: string;
  /** Short text or Unicode glyph shown on the button. */
  glyph: string;
  /** TipTap notation (`Mod-Shift-8`), for the tooltip. */
  shortcut?: string;
  run(editor: Editor): void;
  /** Toggle buttons report whether the selection has their format (aria-pressed). */
  isActive?(editor: Editor): boolean;
  isEnabled?(editor: Editor): boolean;
  /** Hidden while this returns false (table tools outside tables, unlink outside links). */
  isVisible?(editor: Editor): boolean;
}

/** Buttons in visual groups; the toolbar draws a separator between groups. */
export const TOOLBAR_GROUPS: readonly (readonly ToolbarButtonSpec[])[] = [
  [
    {
      id: 'undo',
      label: 'Undo',
      glyph: '↶',
      shortcut: 'Mod-z',
      run: (e) => e.chain().focus().undo().run(),
      isEnabled: (e) => e.can().undo(),
    },
    {
      id: 'redo',
      label: 'Redo',
      glyph: '↷',
      shortcut: 'Mod-Shift-z',
      run: (e) => e.chain().focus().redo().run(),
      isEnabled: (e) => e.can().redo(),
    },
  ],
  ([1, 2, 3] as const).map((level) => ({
    id: `h${level}`,
    // Labels start with the visible glyph (WCAG 2.5.3, label in name; axe checks it).
    label: `H${level} heading`,
    glyph: `H${level}`,
    shortcut: `Mod-Alt-${level}`,
    run: (e: Editor) => e.chain().focus().toggleHeading({ level }).run(),
    isActive: (e: Editor) => e.isActive('heading', { level }),
  })),
  [
    mark('bold', 'Bold', 'B', 'Mod-b', (e) => e.chain().focus().toggleBold().run()),
    mark('italic', 'Italic', 'I', 'Mod-i', (e) => e.chain().focus().toggleItalic().run()),
    mark('underline', 'Underline', 'U', 'Mod-u', (e) => e.chain().focus().toggleUnderline().run()),
    mark('strike', 'Strikethrough', 'S', 'Mod-Shift-s', (e) => e.chain().focus().toggleStrike().run()),
    mark('code', 'Inline code', '</>', 'Mod-e', (e) => e.chain().focus().toggleCode().run()),
    mark('highlight', 'Highlight', 'A', 'Mod-Shift-h', (e) => e.chain().focus().toggleHighlight().run()),
    {
      id: 'link',
      label: 'Link',
      glyph: 'Link',
      shortcut: 'Mod-k',
      run: (e) => void editLink(e),
      isActive: (e) => e.isActive('link'),
    },
    {
      id: 'unlink',
      label: 'Unlink',
      glyph: 'Unlink',
      run: (e) => e.chain().focus().extendMarkRange('link').unsetLink().run(),
      isVisible: (e) => e.isActive('link'),
    },
  ],
  [
    block('bulletList', 'Bullet list', '•≡', 'Mod-Shift-8', (e) => e.chain().focus().toggleBulletList().run()),
    block('orderedList', '1. Numbered list', '1.', 'Mod-Shift-7', (e) => e.chain().focus().toggleOrderedList().run()),
    block('taskList', 'Task list', '☑', 'Mod-Shift-9', (e) => e.chain().focus().toggleTaskList().run()),
    block('blockquote', 'Quote', '❝', 'Mod-Shift-b', (e) => e.chain().focus().toggleBlockquote().run()),
    block('codeBlock', 'Code block', '{ }', 'Mod-Alt-c', (e) => e.chain().focus().toggleCodeBlock().run()),
    {
      id: 'horizontalRule',
      label: 'Horizontal line',
      glyph: '―',
      run: (e) => e.chain().focus().setHorizontalRule().run(),
    },
  ],
  [
    {
      id: 'insertTable',
      label: 'Insert table',
      glyph: '▦',
      run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
      isEnabled: (e) => e.can().insertTable({ rows: 3, cols: 3, withHeaderRow: true }),
    },
    table('addRowAfter', '+Row: add a row below', '+Row', (e) => e.chain().focus().addRowAfter().run()),
    table('deleteRow', '−Row: delete the row', '−Row', (e) => e.chain().focus().deleteRow().run()),
    table('addColumnAfter', '+Col: add a column right', '+Col', (e) => e.chain().focus().addColumnAfter().run()),
    table('deleteColumn', '−Col: delete the column', '−Col', (e) => e.chain().focus().deleteColumn().run()),
    table('deleteTable', 'Delete table', '✕▦', (e) => e.chain().focus().deleteTable().run()),
  ],
];

function mark(name: string, label: string, glyph: string, shortcut: string, run: (e: Editor) => void): ToolbarButtonSpec {
  return { id: name, label, glyph, shortcut, run, isActive: (e) => e.isActive(name) };
}

function block(name: string, label: string, glyph: string, shortcut: string, run: (e: Editor) => void): ToolbarButtonSpec {
  return { id: name, label, glyph, shortcut, run, isActive: (e) => e.isActive(name) };
}

function table(id: string, label: string, glyph: string, run: (e: Editor) => void): ToolbarButtonSpec {
  return { id, label, glyph, run, isVisible: (e) => e.isActive('table') };
}
