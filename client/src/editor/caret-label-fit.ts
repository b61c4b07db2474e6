/**
 * Keeps other people's caret labels on screen. A label starts at its caret and runs to the
 * right; for a caret near the right edge (on a phone, any caret late in a line) it ran past
 * the screen and was cut off. After each change, and when the window resizes, a label that
 * would leave the editor's box is moved left (or right, at the left edge) by as much.
 */
import type { Editor } from '@tiptap/core';

const MARGIN = 4;

function fit(root: HTMLElement): void {
  const box = root.getBoundingClientRect();
  const right = Math.min(box.right, document.documentElement.clientWidth) - MARGIN;
  const left = Math.max(box.left, 0) + MARGIN;
  for (const label of root.querySelectorAll<HTMLElement>('.collaboration-carets__label')) {
    label.style.transform = '';
    const rect = label.getBoundingClientRect();
    const shift = rect.right > right ? right - rect.right : rect.left < left ? left - rect.left : 0;
    if (shift !== 0) label.style.transform = `translateX(${Math.round(shift)}px)`;
  }
}

export function keepCaretLabelsOnScreen(editor: Editor): () => void {
  let frame = 0;
  const schedule = (): void => {
    if (frame === 0)
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (!editor.isDestroyed) fit(editor.view.dom);
      });
  };
  editor.on('transaction', schedule);
  window.addEventListener('resize', schedule);
  schedule();
  return () => {
    editor.off('transaction', schedule);
    window.removeEventListener('resize', schedule);
    cancelAnimationFrame(frame);
  };
}
