/**
 * The editor's binding to the pad's Y.Doc: TipTap's Collaboration extension on the content
 * field, with what we keep across remote changes (keep-stored-marks.ts). The binding itself,
 * `@tiptap/y-tiptap`, is patched (patches/): see docs/architecture.md, "Co-editing".
 */
import type { AnyExtension } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import type * as Y from 'yjs';
import { CONTENT_FIELD } from '../../../common/markdown/pad-content.js';
import { KeepStoredMarks } from './keep-stored-marks.js';

/** Undo and redo come from Yjs's undo manager: they take back only this person's edits. */
export function padCollaboration(doc: Y.Doc): AnyExtension[] {
  return [Collaboration.configure({ document: doc, field: CONTENT_FIELD }), KeepStoredMarks];
}
