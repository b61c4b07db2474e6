/**
 * The pad's formatting toolbar: one button per spec in toolbar-buttons.ts, kept in step with
 * the editor's selection. Keyboard use follows the ARIA toolbar pattern: one tab stop, arrow
 * keys move between buttons.
 */
import type { Editor } from '@tiptap/core';
import { titleWithShortcut } from './shortcuts.js';
import { TOOLBAR_GROUPS, type ToolbarButtonSpec } from './toolbar-buttons.js';

interface RenderedButton {
  spec: ToolbarButtonSpec;
  element: HTMLButtonElement;
}

export interface MountedToolbar {
  /** Re-reads every button's state, e.g. after `editor.setEditable`. */
  refresh(): void;
  destroy(): void;
}

export function mountToolbar(container: HTMLElement, editor: Editor): MountedToolbar {
  container.setAttribute('role', 'toolbar');
  if (!container.hasAttribute('aria-label')) container.setAttribute('aria-label', 'Formatting');
  const buttons: RenderedButton[] = [];

  TOOLBAR_GROUPS.forEach((group, index) => {
    if (index > 0) {
      const separator = document.createElement('span');
      separator.className = 'toolbar__separator';
      separator.setAttribute('role', 'separator');
      separator.setAttribute('aria-orientation', 'vertical');
      container.append(separator);
    }
    for (const spec of group) {
      const element = document.createElement('button');
      element.type = 'button';
      element.className = 'toolbar__button';
      element.dataset.command = spec.id;
      element.textContent = spec.glyph;
      element.setAttribute('aria-label', spec.label);
      element.title = titleWithShortcut(spec.label, spec.shortcut);
      element.tabIndex = -1;
      // Keep the editor's selection: a click on a button must not move focus first.
      element.addEventListener('mousedown', (event) => event.preventDefault());
      element.addEventListener('click', () => {
        if (editor.isEditable) spec.run(editor);
      });
      container.append(element);
      buttons.push({ spec, element });
    }
  });

  const update = (): void => {
    const editable = editor.isEditable;
    for (const { spec, element } of buttons) {
      element.hidden = spec.isVisible ? !spec.isVisible(editor) : false;
      element.disabled = !editable || (spec.isEnabled ? !spec.isEnabled(editor) : false);
      if (spec.isActive) element.setAttribute('aria-pressed', String(spec.isActive(editor)));
    }
    fixTabStop();
  };

  const focusable = (): HTMLButtonElement[] => buttons.map((b) => b.element).filter((element) => !element.hidden && !element.disabled);

  let current: HTMLButtonElement | null = null;
  const fixTabStop = (): void => {
    const candidates = focusable();
    if (!current || !candidates.includes(current)) current = candidates[0] ?? null;
    for (const { element } of buttons) element.tabIndex = element === current ? 0 : -1;
  };

  container.addEventListener('keydown', (event) => {
    const candidates = focusable();
    const index = candidates.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    let next = index;
    if (event.key === 'ArrowRight') next = (index + 1) % candidates.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + candidates.length) % candidates.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = candidates.length - 1;
    else return;
    event.preventDefault();
    current = candidates[next];
    fixTabStop();
    current.focus();
  });
  container.addEventListener('focusin', (event) => {
    if (event.target instanceof HTMLButtonElement) {
      current = event.target;
      fixTabStop();
    }
  });

  editor.on('transaction', update);
  editor.on('focus', update);
  editor.on('blur', update);
  update();
  return {
    refresh: update,
    destroy: () => {
      editor.off('transaction', update);
      editor.off('focus', update);
      editor.off('blur', update);
      container.replaceChildren();
    },
  };
}
