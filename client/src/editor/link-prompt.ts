/** Setting and removing links from the toolbar (and Mod-k). */
import { Extension, type Editor } from '@tiptap/core';
import { isAllowedLinkHref } from '../../../common/extensions.js';

/** `example.org/x` becomes `https://example.org/x`; anything with a scheme or a path stays. */
function withScheme(raw: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || /^[/#?]/.test(raw)) return raw;
  return `https://${raw}`;
}

/** Asks for a URL (prefilled with the current link); an empty answer removes the link. */
export function promptForLink(editor: Editor): void {
  const current = (editor.getAttributes('link').href as string | undefined) ?? '';
  const answer = window.prompt('Link address (leave empty to remove the link)', current || 'https://');
  if (answer === null) return;
  const trimmed = answer.trim();
  if (trimmed === '' || trimmed === 'https://') {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    return;
  }
  const href = withScheme(trimmed);
  if (!isAllowedLinkHref(href)) {
    window.alert('Links must use http, https, mailto, irc, ircs or tel.');
    return;
  }
  if (editor.state.selection.empty && !editor.isActive('link')) {
    // Nothing selected: insert the address itself as the link text.
    editor
      .chain()
      .focus()
      .insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] })
      .run();
    return;
  }
  editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
}

/** Mod-k opens the link prompt, as in most editors. */
export const LinkShortcut = Extension.create({
  name: 'gatherpadLinkShortcut',
  addKeyboardShortcuts() {
    return {
      'Mod-k': () => {
        promptForLink(this.editor);
        return true;
      },
    };
  },
});
