/**
 * The pad editor: the shared schema (common/extensions.ts) bound to the Y.Doc, with other
 * people's carets and a placeholder. The client never inserts content of its own: an empty
 * pad stays empty until someone types, and the server owns any initial content.
 */
import { Editor } from '@tiptap/core';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { Placeholder } from '@tiptap/extensions';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { padExtensions } from '../../../common/extensions.js';
import { AuthorshipShading } from '../authorship/authorship-shading.js';
import type { UserIdentity } from '../presence/user-identity.js';
import { renderCaret, renderSelection } from './carets.js';
import { ClickBelowLastBlock } from './click-below-last-block.js';
import { LinkShortcut } from './link-dialog.js';
import { MarkdownInputRules } from './markdown-input-rules.js';
import { padCollaboration } from './pad-collaboration.js';
import { PlainTextPaste } from './plain-text-paste.js';

export const EDITOR_PLACEHOLDER =
  'Start typing your notes. Markdown works: # heading, **bold**, - list, - [ ] task, [x] done, [text](url) link';
/** What an empty pad says to someone who cannot write in it (a read-only link, a locked pad). */
export const READ_ONLY_PLACEHOLDER = 'Nothing is written on this pad yet. What others write appears here live.';

export interface PadEditorOptions {
  element: HTMLElement;
  doc: Y.Doc;
  provider: WebsocketProvider;
  user: UserIdentity;
}

export function createPadEditor({ element, doc, provider, user }: PadEditorOptions): Editor {
  return new Editor({
    element,
    extensions: [
      ...padExtensions(),
      ...padCollaboration(doc),
      CollaborationCaret.configure({
        provider,
        user: { ...user },
        render: renderCaret,
        selectionRender: renderSelection,
      }),
      Placeholder.configure({
        placeholder: ({ editor }) => (editor.isEditable ? EDITOR_PLACEHOLDER : READ_ONLY_PLACEHOLDER),
        showOnlyWhenEditable: false,
      }),
      LinkShortcut,
      MarkdownInputRules,
      PlainTextPaste,
      ClickBelowLastBlock,
      AuthorshipShading,
    ],
    // Our CSS carries ProseMirror's rules; an injected <style> tag would need 'unsafe-inline'.
    injectCSS: false,
    editorProps: {
      attributes: {
        'aria-label': 'Pad content',
        'aria-multiline': 'true',
        role: 'textbox',
        class: 'pad-content',
      },
    },
  });
}
