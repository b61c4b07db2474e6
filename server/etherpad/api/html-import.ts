/**
 * HTML as pad content (`setHTML`, Etherpad's HTML): parsed by linkedom, a small standards DOM
 * for Node, and read by ProseMirror's DOMParser with the pad schema's own parse rules, as the
 * editor reads pasted HTML. Scripts, styles and anything the schema has no rule for are left
 * out; links keep only allowed schemes (the link mark's own check). linkedom is loaded on first
 * use: only `setHTML` needs a DOM, the server's start does not.
 */
import { DOMParser as PmDOMParser, type Node as PmNode, type Schema } from '@tiptap/pm/model';

let linkedom: Promise<typeof import('linkedom')> | null = null;

/** The parsed document; throws for input that is not HTML at all. */
export async function htmlDocument(html: string, schema: Schema): Promise<PmNode> {
  linkedom ??= import('linkedom');
  const { parseHTML } = await linkedom;
  // Etherpad's own HTML has <br> between lines inside one body: each becomes a paragraph.
  const inner = /<body[^>]*>([\s\S]*?)(?:<\/body>|$)/i.exec(html)?.[1] ?? html.replace(/<!doctype[^>]*>/i, '');
  const { document } = parseHTML(`<!doctype html><html><body>${inner}</body></html>`);
  for (const tag of ['script', 'style', 'template', 'iframe', 'object']) {
    for (const el of Array.from(document.querySelectorAll(tag)) as { remove(): void }[]) el.remove();
  }
  const body = document.body;
  splitLines(body as unknown as LineParent, document);
  const doc = PmDOMParser.fromSchema(schema).parse(body as unknown as globalThis.Node);
  doc.check();
  return doc;
}

/** The little of a DOM node that splitting lines needs (linkedom's nodes have it). */
interface LineNode {
  nodeType: number;
  tagName?: string;
  appendChild(node: LineNode): unknown;
}

/** Text and inline elements directly in the body, split at <br>, become one <p> per line. */
interface LineParent {
  childNodes: ArrayLike<unknown>;
  insertBefore(node: LineNode, before: LineNode): unknown;
  removeChild(node: LineNode): unknown;
}

function splitLines(body: LineParent, document: { createElement(tag: string): unknown }): void {
  const inline = (node: LineNode) =>
    node.nodeType === 3 || (node.nodeType === 1 && !/^(P|DIV|UL|OL|LI|H[1-6]|PRE|BLOCKQUOTE|TABLE|HR)$/.test(node.tagName ?? ''));
  const paragraphElement = () => document.createElement('p') as LineNode;
  let paragraph: LineNode | null = null;
  for (const node of Array.from(body.childNodes) as LineNode[]) {
    if (node.nodeType === 1 && node.tagName === 'BR') {
      if (!paragraph) body.insertBefore(paragraphElement(), node);
      paragraph = null;
      body.removeChild(node);
    } else if (inline(node)) {
      if (!paragraph) {
        paragraph = paragraphElement();
        body.insertBefore(paragraph, node);
      }
      paragraph.appendChild(node);
    } else {
      paragraph = null;
    }
  }
}
