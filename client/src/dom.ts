/**
 * The client's DOM builders: text always goes in as text nodes, never as HTML, so whatever a
 * person typed cannot become markup.
 */

/** What `el` sets on a new element: its class, its text and plain attributes. */
export interface ElementProps {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

/** A new `<tag>` with `props` set and `children` appended in order (`null` children are skipped). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child !== null) node.append(child);
  return node;
}

/**
 * The page's element with `id`. The page's HTML and its script ship together, so a missing id is
 * a build mistake: it throws rather than letting `null` travel on.
 */
export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page ${location.pathname} is missing #${id}`);
  return node as T;
}

/** `snippet` with the `[start, end)` ranges wrapped in <mark>, built from text nodes only. */
export function highlighted(snippet: string, ranges: readonly [number, number][]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end > snippet.length || end <= start) continue;
    fragment.append(snippet.slice(at, start), el('mark', { text: snippet.slice(start, end) }));
    at = end;
  }
  fragment.append(snippet.slice(at));
  return fragment;
}
