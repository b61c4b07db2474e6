/**
 * The heading of a read-only view: which pad this is, said once. Its title as set on the event
 * page, else its first heading, else "Untitled pad"; under it the names of its event and team
 * (`GET /api/v1/pads/<readOnlyId>` answers with names, never slugs or the pad id).
 */
import type { Editor } from '@tiptap/core';
import { firstHeading } from '../editor/first-heading.js';

interface ReadOnlyMeta {
  title?: string | null;
  event?: string | null;
  team?: string | null;
}

export function mountReadOnlyLabel(heading: HTMLElement, readOnlyId: string, editor: Editor): void {
  const name = document.createElement('span');
  name.dataset.testid = 'pad-name';
  heading.replaceChildren(name);
  let stored: string | null = null;
  const render = (): void => {
    const text = stored || firstHeading(editor) || 'Untitled pad';
    name.textContent = text;
    document.title = `${text} · Gatherpad`;
  };
  editor.on('update', render);
  render();

  void fetch(`/api/v1/pads/${encodeURIComponent(readOnlyId)}`)
    .then((res) => (res.ok ? (res.json() as Promise<ReadOnlyMeta>) : null))
    .catch(() => null)
    .then((meta) => {
      if (!meta) return;
      stored = meta.title?.trim() || null;
      render();
      const place = [meta.event, meta.team].filter((part): part is string => typeof part === 'string' && part !== '');
      if (place.length === 0) return;
      const line = document.createElement('span');
      line.className = 'pad-place';
      line.dataset.testid = 'pad-place';
      line.textContent = place.join(' · ');
      heading.append(line);
    });
}
