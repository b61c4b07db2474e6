/**
 * Pasted text keeps one paragraph per line, as Etherpad shows it. ProseMirror already splits
 * plain text at line breaks, but a copy from a page that shows text in a `<pre>` or a
 * `white-space: pre-wrap` element (Etherpad's text export, a terminal, a log viewer) or with
 * `<br>` between lines also carries HTML, and that HTML parses into one paragraph: its line
 * breaks collapse into spaces or become soft breaks. When the HTML gave fewer blocks than the
 * text has lines, the text is what people meant, and it is pasted line by line instead. A copy
 * from a pad (ProseMirror marks its HTML with `data-pm-slice`) and code blocks are left alone.
 */
import { Extension } from '@tiptap/core';
import { Fragment, Slice, type Node as PmNode, type Schema } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';

const plainTextPasteKey = new PluginKey('gatherpadPlainTextPaste');

/** Non-empty lines of `text`, each as a paragraph (blank lines only separate, as in a plain text import). */
export function paragraphsOf(text: string, schema: Schema): PmNode[] {
  return text
    .split(/\r\n?|\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => schema.nodes.paragraph.create(null, schema.text(line)));
}

function textblocksIn(slice: Slice): { count: number; code: boolean } {
  let count = 0;
  let code = false;
  slice.content.descendants((node) => {
    if (node.isTextblock) {
      count += 1;
      if (node.type.spec.code) code = true;
    }
    return !node.isTextblock;
  });
  return { count, code };
}

export const PlainTextPaste = Extension.create({
  name: 'gatherpadPlainTextPaste',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: plainTextPasteKey,
        props: {
          handlePaste(view, event, slice) {
            const html = event.clipboardData?.getData('text/html') ?? '';
            const text = event.clipboardData?.getData('text/plain') ?? '';
            if (html === '' || html.includes('data-pm-slice') || view.state.selection.$from.parent.type.spec.code) return false;
            const lines = paragraphsOf(text, view.state.schema);
            const parsed = textblocksIn(slice);
            if (lines.length < 2 || parsed.code || parsed.count >= lines.length) return false;
            view.dispatch(
              view.state.tr
                .replaceSelection(new Slice(Fragment.from(lines), 1, 1))
                .scrollIntoView()
                .setMeta('paste', true)
                .setMeta('uiEvent', 'paste'),
            );
            return true;
          },
        },
      }),
    ];
  },
});
