/**
 * A rebuilt revision as ProseMirror content (the shared schema) and as plain text. Headless:
 * no DOM needed.
 */
import { getSchema } from '@tiptap/core';
import type { Node as PmNode, Schema } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorRootNode, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { padExtensions } from '../../common/extensions.js';

let schema: Schema | null = null;

/** The pad schema built from `padExtensions()`, once. */
export function padSchema(): Schema {
  schema ??= getSchema(padExtensions());
  return schema;
}

/** The doc's XmlFragment 'default' as a ProseMirror node. */
export function docNode(doc: Y.Doc): PmNode {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment('default'), padSchema());
}

/** The doc's XmlFragment 'default' as ProseMirror JSON, read straight from Yjs (no schema pass: fast). */
export function docJson(doc: Y.Doc): Record<string, unknown> {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment('default')) as Record<string, unknown>;
}

/** Plain text: text blocks separated by one newline. */
export function nodeText(node: PmNode): string {
  return node.textBetween(0, node.content.size, '\n', (leaf) => (leaf.type.name === 'hardBreak' ? '\n' : ''));
}
