/**
 * The timeslider's "Compare two revisions" bar: From and To, typed in or picked on the
 * timeline (each pick fills the next end in turn: From, then To, then From again).
 */
export interface RevisionCompare {
  readonly element: HTMLElement;
  /** The two ends, older first. */
  range(): { from: number; to: number };
  /** Fills the next end with `rev`. */
  pick(rev: number): void;
  /** Both ends within first..last; `to` defaults to the last, `from` to the one before. */
  setBounds(first: number, last: number): void;
  onChange(listener: () => void): void;
}

function numberField(id: string, text: string): { label: HTMLLabelElement; input: HTMLInputElement } {
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = text;
  const input = document.createElement('input');
  input.type = 'number';
  input.id = id;
  input.className = 'revision-compare__rev';
  input.dataset.testid = id;
  return { label, input };
}

export function createRevisionCompare(): RevisionCompare {
  const element = document.createElement('div');
  element.className = 'revision-compare';
  element.dataset.testid = 'revision-compare';
  element.hidden = true;
  const from = numberField('compare-from', 'From revision');
  const to = numberField('compare-to', 'to revision');
  const hint = document.createElement('span');
  hint.className = 'muted revision-compare__hint';
  element.append(from.label, from.input, to.label, to.input, hint);

  let first = 1;
  let last = 1;
  let next: 'from' | 'to' = 'from';
  const listeners = new Set<() => void>();
  const clamp = (value: number) => Math.min(last, Math.max(first, Number.isFinite(value) ? Math.round(value) : last));
  const say = () =>
    (hint.textContent =
      next === 'from' ? 'Pick on the timeline: the next pick sets From.' : 'Pick on the timeline: the next pick sets To.');
  const changed = () => {
    say();
    for (const listener of listeners) listener();
  };
  for (const field of [from, to]) {
    field.input.addEventListener('change', () => {
      field.input.value = String(clamp(Number(field.input.value)));
      changed();
    });
  }
  say();

  return {
    element,
    range() {
      const a = clamp(Number(from.input.value));
      const b = clamp(Number(to.input.value));
      return { from: Math.min(a, b), to: Math.max(a, b) };
    },
    pick(rev) {
      (next === 'from' ? from : to).input.value = String(clamp(rev));
      next = next === 'from' ? 'to' : 'from';
      changed();
    },
    setBounds(low, high) {
      first = low;
      last = high;
      for (const field of [from, to]) {
        field.input.min = String(low);
        field.input.max = String(high);
      }
      if (to.input.value === '') to.input.value = String(high);
      if (from.input.value === '') from.input.value = String(Math.max(low, high - 1));
    },
    onChange(listener) {
      listeners.add(listener);
    },
  };
}
