/**
 * The one extension list that defines a pad's schema. The browser editor and the server's
 * headless markdown/HTML export both build on it, so every node and mark exists on both sides.
 * Content lives in the Y.Doc's XmlFragment `default` (TipTap's default field).
 */
import type { AnyExtension } from '@tiptap/core';
import Highlight from '@tiptap/extension-highlight';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';

/** Link schemes a pad keeps active; anything else (javascript:, data:, ...) is dropped. */
export const ALLOWED_LINK_PROTOCOLS = ['http', 'https', 'mailto', 'irc', 'ircs', 'tel'] as const;

export function isAllowedLinkHref(href: string): boolean {
  const trimmed = href.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed);
  // Browsers read `\` as `/` in web URLs: `/\evil.example` leads to another site, as `//` does.
  if (!scheme) return !/^[\\/]{2}/.test(trimmed);
  return (ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(scheme[1].toLowerCase());
}

/** The schema-defining extensions. Undo/redo is off: Yjs's undo manager replaces it. */
export function padExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      // Every client added its own empty paragraph after a last heading, table or list, so a
      // pad opened by several people grew several; the editor adds one only where someone
      // clicks below the last block (client/src/editor/click-below-last-block.ts).
      trailingNode: false,
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        protocols: ['irc', 'ircs', 'tel'],
        isAllowedUri: (url) => isAllowedLinkHref(url),
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
    TableKit.configure({ table: { resizable: false } }),
    Highlight,
  ];
}
