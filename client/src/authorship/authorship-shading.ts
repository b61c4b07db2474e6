/**
 * The editor's authorship shading: a ProseMirror plugin whose state is a DecorationSet, set
 * whole by live-authorship.ts (as transaction metadata) and mapped through every change in
 * between. Decorations only: the document, and so the Y.Doc, never changes for it.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { AuthorRun } from './author-runs.js';

export const authorshipKey = new PluginKey<DecorationSet>('gatherpadAuthorship');

export interface ShadedAuthor {
  name: string;
  /** The CSS class that carries this author's shade (author-shades.ts). */
  shadeClass: string;
}

/** Decorations for `runs`; runs of clients with no known author stay plain. */
export function shadingFor(
  state: EditorState,
  runs: readonly AuthorRun[],
  authorOf: (client: number) => ShadedAuthor | null,
): DecorationSet {
  const decorations: Decoration[] = [];
  for (const run of runs) {
    const author = authorOf(run.client);
    if (author)
      decorations.push(Decoration.inline(run.from, run.to, { class: `author-run ${author.shadeClass}`, 'data-author': author.name }));
  }
  return DecorationSet.create(state.doc, decorations);
}

export const AuthorshipShading = Extension.create({
  name: 'gatherpadAuthorshipShading',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: authorshipKey,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            const replaced = tr.getMeta(authorshipKey) as DecorationSet | undefined;
            if (replaced) return replaced;
            return tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
          },
        },
        props: {
          decorations: (state) => authorshipKey.getState(state),
        },
      }),
    ];
  },
});
