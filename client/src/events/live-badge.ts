/** "2 here now" badges of pads on the event page, updated from the live feed's counts. */
import { el } from '../dom.js';

const liveText = (n: number) => (n === 0 ? 'nobody here' : n === 1 ? '1 here now' : `${n} here now`);

export function liveBadge(padId: string, count: number): HTMLSpanElement {
  return el('span', {
    className: 'live-count',
    text: liveText(count),
    attrs: { 'data-testid': `live-${padId}`, 'data-pad': padId, 'data-count': String(count) },
  });
}

/** Updates every live badge on the page from `{padId: count}`. */
export function applyCounts(root: ParentNode, counts: Record<string, number>): void {
  for (const badge of root.querySelectorAll<HTMLSpanElement>('.live-count[data-pad]')) {
    const count = counts[badge.dataset.pad ?? ''];
    if (count === undefined) continue;
    badge.dataset.count = String(count);
    badge.textContent = liveText(count);
  }
}
