/**
 * How other people's carets and selections are drawn. Colours are set through CSSOM or a
 * palette class, never a `style` attribute, so a strict CSP (no 'unsafe-inline' styles) holds.
 */
import type { DecorationAttrs } from '@tiptap/pm/view';
import { labelTextColor, paletteIndex } from '../presence/palette.js';

export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === 'string' ? user.color : 'transparent';
  const name = typeof user.name === 'string' && user.name !== '' ? user.name : 'Someone';

  const caret = document.createElement('span');
  caret.className = 'collaboration-carets__caret';
  caret.style.borderColor = color;

  const label = document.createElement('div');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = color;
  label.style.color = labelTextColor(color);
  label.textContent = name;

  caret.append(label);
  return caret;
}

export function renderSelection(user: Record<string, unknown>): DecorationAttrs {
  const color = typeof user.color === 'string' ? user.color : '';
  const index = paletteIndex(color);
  // Colours from other clients that are not in our palette get the neutral selection colour.
  return {
    nodeName: 'span',
    class: `collaboration-carets__selection${index >= 0 ? ` user-color-${index}` : ''}`,
  };
}
