/** Setting and removing links from the toolbar (and Mod-k), in the app's own dialog. */
import { Extension, type Editor } from '@tiptap/core';
import { isAllowedLinkHref } from '../../../common/extensions.js';
import { openFormDialog } from '../dialogs/form-dialog.js';

/** `example.org/x` becomes `https://example.org/x`; anything with a scheme or a path stays. */
export function withScheme(raw: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || /^[/#?]/.test(raw)) return raw;
  return `https://${raw}`;
}

const SCHEMES_MESSAGE = 'Links must use http, https, mailto, irc, ircs or tel.';

/**
 * Asks for a link address (prefilled with the current link) and applies it to the selection,
 * or, with nothing selected, inserts the address as linked text. "Remove link" (or an empty
 * address) takes the link away.
 */
export async function editLink(editor: Editor): Promise<void> {
  const current = (editor.getAttributes('link').href as string | undefined) ?? '';
  const result = await openFormDialog({
    title: current ? 'Edit link' : 'Add a link',
    fields: [{ name: 'href', label: 'Link address', value: current, type: 'url', placeholder: 'https://example.org' }],
    submitLabel: current ? 'Save link' : 'Add link',
    extraButtons: current ? [{ label: 'Remove link', action: 'remove' }] : [],
    testId: 'link-dialog',
    check: ({ href }) => (href === '' || isAllowedLinkHref(withScheme(href)) ? null : SCHEMES_MESSAGE),
  });
  if (!result) {
    editor.commands.focus();
    return;
  }
  // The modal dialog kept the selection where it was (remote changes map it, as they do the caret).
  const chain = () => editor.chain().focus();
  const href = result.values.href;
  if (result.action === 'remove' || href === '') {
    chain().extendMarkRange('link').unsetLink().run();
    return;
  }
  const full = withScheme(href);
  if (editor.state.selection.empty && !current) {
    chain()
      .insertContent({ type: 'text', text: full, marks: [{ type: 'link', attrs: { href: full } }] })
      .run();
    return;
  }
  chain().extendMarkRange('link').setLink({ href: full }).run();
}

/** Mod-k opens the link dialog, as in most editors. */
export const LinkShortcut = Extension.create({
  name: 'gatherpadLinkShortcut',
  addKeyboardShortcuts() {
    return {
      'Mod-k': () => {
        void editLink(this.editor);
        return true;
      },
    };
  },
});
