/**
 * A row that scrolls sideways (the phone toolbars) fades out at an edge with more behind it,
 * so a half-visible button reads as "more this way" rather than as cut off. Sets
 * `data-more="left|right|both"` (none when all fits), which pad-phone.css turns into a mask.
 */
export function markScrollEdges(row: HTMLElement): () => void {
  const update = (): void => {
    const left = row.scrollLeft > 1;
    const right = row.scrollLeft + row.clientWidth < row.scrollWidth - 1;
    const more = left && right ? 'both' : left ? 'left' : right ? 'right' : '';
    if (more) row.dataset.more = more;
    else delete row.dataset.more;
  };
  const observer = new ResizeObserver(update);
  observer.observe(row);
  row.addEventListener('scroll', update, { passive: true });
  update();
  return () => {
    observer.disconnect();
    row.removeEventListener('scroll', update);
  };
}
