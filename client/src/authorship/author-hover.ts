/** Hovering a shaded run shows its author's name in a small label above it. */
export function mountAuthorHover(root: HTMLElement): () => void {
  const tip = document.createElement('div');
  tip.className = 'author-tooltip';
  tip.setAttribute('role', 'tooltip');
  tip.dataset.testid = 'author-tooltip';
  tip.hidden = true;
  document.body.append(tip);

  const onOver = (event: MouseEvent): void => {
    const run = (event.target as Element | null)?.closest?.('.author-run');
    const name = run?.getAttribute('data-author');
    if (!run || !name) return;
    const rect = run.getBoundingClientRect();
    tip.textContent = name;
    tip.hidden = false;
    const width = tip.offsetWidth;
    const left = Math.min(Math.max(4, event.clientX - width / 2), window.innerWidth - width - 4);
    tip.style.left = `${left + window.scrollX}px`;
    tip.style.top = `${rect.top + window.scrollY - tip.offsetHeight - 4}px`;
  };
  const onOut = (event: MouseEvent): void => {
    const to = (event.relatedTarget as Element | null)?.closest?.('.author-run');
    if (!to) tip.hidden = true;
  };
  root.addEventListener('mouseover', onOver);
  root.addEventListener('mouseout', onOut);
  return () => {
    root.removeEventListener('mouseover', onOver);
    root.removeEventListener('mouseout', onOut);
    tip.remove();
  };
}
