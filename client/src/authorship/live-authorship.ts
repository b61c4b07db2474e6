/**
 * Authorship colours on the live pad, as Etherpad has them: each run of text shaded in its
 * author's colour, from the Yjs item that inserted it (author-runs.ts) and the server's
 * client -> author map (author-map.ts), updated as people type. Nothing is computed while the
 * shading is off. Recomputing walks the whole document, so it runs at most every 150 ms.
 */
import type { Editor } from '@tiptap/core';
import { DecorationSet } from '@tiptap/pm/view';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { CONTENT_FIELD } from '../../../common/markdown/pad-content.js';
import type { ClientAuthorsT } from '../../../common/history-schemas.js';
import { AuthorMap } from './author-map.js';
import { authorRuns } from './author-runs.js';
import { AuthorShades } from './author-shades.js';
import { mountAuthorHover } from './author-hover.js';
import { authorshipKey, shadingFor } from './authorship-shading.js';
import { authorColoursWanted, mountAuthorshipToggle } from './authorship-toggle.js';
import './authorship.css';

export interface LiveAuthorshipOptions {
  editor: Editor;
  doc: Y.Doc;
  awareness: Awareness;
  /** The pad id, or the read-only id on `/r/` pages. */
  id: string;
  /** Where the on/off button goes. */
  toggleHost: HTMLElement;
}

const THROTTLE_MS = 150;

async function fetchClientAuthors(id: string): Promise<ClientAuthorsT> {
  const res = await fetch(`/api/v1/pads/${encodeURIComponent(id)}/authors`);
  if (!res.ok) throw new Error(`The server answered ${res.status}.`);
  return (await res.json()) as ClientAuthorsT;
}

export function mountLiveAuthorship(options: LiveAuthorshipOptions): void {
  const { editor, doc } = options;
  const fragment = doc.getXmlFragment(CONTENT_FIELD);
  const authors = new AuthorMap(options.awareness, () => fetchClientAuthors(options.id));
  const shades = new AuthorShades();
  let on = authorColoursWanted();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const apply = (set: DecorationSet): void => {
    if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(authorshipKey, set));
  };
  const recompute = (): void => {
    timer = null;
    if (!on || editor.isDestroyed) return;
    const runs = authorRuns(fragment, editor.state.doc);
    // The binding has not written the last keystroke to Yjs yet: try again shortly.
    if (!runs) {
      schedule();
      return;
    }
    authors.want(new Set(runs.map((run) => run.client)));
    apply(
      shadingFor(editor.state, runs, (client) => {
        const author = authors.lookup(client);
        return author ? { name: author.name, shadeClass: shades.classFor(author.color) } : null;
      }),
    );
  };
  const schedule = (): void => {
    if (on && timer === null) timer = setTimeout(recompute, THROTTLE_MS);
  };

  doc.on('update', schedule);
  authors.onChange(schedule);
  mountAuthorHover(editor.view.dom);
  mountAuthorshipToggle(options.toggleHost, on, (next) => {
    on = next;
    if (on) schedule();
    else apply(DecorationSet.empty);
  });
  schedule();
}
