/**
 * Editing a shape's text in place: a textarea laid over the shape and bound to its Y.Text.
 * Local input becomes the minimal delete + insert on the Y.Text (one transaction with the
 * board origin); remote edits update the textarea and shift the caret past them, so two people
 * typing in one sticky both keep their text.
 */
import type * as Y from 'yjs';
import type { BoardModel } from './board-model.js';
import type { BoardRenderer } from './board-renderer.js';
import { LABEL_FONT_SIZE, LINE_HEIGHT, STICKY_FONT_SIZE, STICKY_PADDING, labelHeight, stickyFill } from './shape-elements.js';

export class TextEditor {
  readonly textarea = document.createElement('textarea');
  private editing: { id: string; text: Y.Text; observer: (event: Y.YTextEvent, txn: Y.Transaction) => void } | null = null;
  private value = '';

  constructor(
    private readonly model: BoardModel,
    private readonly renderer: BoardRenderer,
  ) {
    const ta = this.textarea;
    ta.className = 'board-text-editor';
    ta.hidden = true;
    ta.setAttribute('aria-label', 'Text of the shape');
    ta.dataset.testid = 'board-text-editor';
    renderer.host.append(ta);
    ta.addEventListener('input', () => this.pushLocal());
    // Focus moving to another control closes the editor; focus dropping to the page (the browser
    // does that around a press on the canvas) does not: a press on the canvas closes it itself.
    ta.addEventListener('blur', (event) => {
      if (event.relatedTarget) this.close();
    });
    ta.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.close();
      }
      event.stopPropagation();
    });
    renderer.onViewport(() => this.place());
  }

  get editingId(): string | null {
    return this.editing?.id ?? null;
  }

  open(id: string): void {
    this.close();
    const text = this.model.text(id);
    if (!text) return;
    const observer = (event: Y.YTextEvent, txn: Y.Transaction) => {
      if (txn.origin !== this.model.origin) this.pullRemote(event);
    };
    text.observe(observer);
    this.editing = { id, text, observer };
    this.value = text.toString();
    this.textarea.value = this.value;
    this.textarea.hidden = false;
    this.place();
    this.textarea.focus();
    this.textarea.setSelectionRange(this.value.length, this.value.length);
  }

  close(): void {
    const editing = this.editing;
    if (!editing) return;
    this.editing = null;
    editing.text.unobserve(editing.observer);
    this.textarea.hidden = true;
    const shape = this.model.get(editing.id);
    if (shape?.type === 'text') {
      if (shape.text.trim() === '') this.model.remove([shape.id]);
      else this.model.update(shape.id, { h: labelHeight(shape.text, shape.w) });
    }
    this.model.endGesture();
  }

  /** Keeps the textarea over its shape (after a pan, zoom, move or resize). */
  place(): void {
    if (!this.editing) return;
    const shape = this.renderer.lookup(this.editing.id);
    if (!shape) return this.close();
    const zoom = this.renderer.viewport.zoom;
    const box = this.renderer.bounds(shape);
    const at = this.renderer.toScreen(box);
    const label = shape.type === 'text';
    const fontSize = (label ? LABEL_FONT_SIZE : STICKY_FONT_SIZE) * zoom;
    const pad = label ? 0 : STICKY_PADDING * zoom;
    Object.assign(this.textarea.style, {
      left: `${at.x}px`,
      top: `${at.y}px`,
      width: `${Math.max(box.w, label ? 200 : 40) * zoom}px`,
      height: `${Math.max(box.h, label ? LABEL_FONT_SIZE * LINE_HEIGHT : 40) * zoom}px`,
      fontSize: `${fontSize}px`,
      lineHeight: String(LINE_HEIGHT),
      padding: `${pad}px`,
      background: shape.type === 'sticky' ? stickyFill(shape.color) : 'rgba(255,255,255,0.92)',
      textAlign: shape.type === 'rect' || shape.type === 'ellipse' ? 'center' : 'start',
    });
  }

  private pushLocal(): void {
    const editing = this.editing;
    if (!editing) return;
    const next = this.textarea.value;
    const prev = this.value;
    let start = 0;
    while (start < prev.length && start < next.length && prev[start] === next[start]) start++;
    let endPrev = prev.length;
    let endNext = next.length;
    while (endPrev > start && endNext > start && prev[endPrev - 1] === next[endNext - 1]) endPrev--, endNext--;
    this.value = next;
    this.model.transact(() => {
      if (endPrev > start) editing.text.delete(start, endPrev - start);
      if (endNext > start) editing.text.insert(start, next.slice(start, endNext));
    });
    if (this.model.get(editing.id)?.type === 'text') this.place();
  }

  private pullRemote(event: Y.YTextEvent): void {
    const ta = this.textarea;
    let selStart = ta.selectionStart;
    let selEnd = ta.selectionEnd;
    let index = 0;
    for (const op of event.delta) {
      if (op.retain !== undefined) index += op.retain;
      else if (typeof op.insert === 'string') {
        const n = op.insert.length;
        if (selStart >= index) selStart += n;
        if (selEnd >= index) selEnd += n;
        index += n;
      } else if (op.delete !== undefined) {
        const n = op.delete;
        selStart = selStart > index ? Math.max(index, selStart - n) : selStart;
        selEnd = selEnd > index ? Math.max(index, selEnd - n) : selEnd;
      }
    }
    this.value = this.editing?.text.toString() ?? '';
    ta.value = this.value;
    if (document.activeElement === ta) ta.setSelectionRange(selStart, selEnd);
  }
}
