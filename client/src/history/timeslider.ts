/**
 * The timeslider (loaded on demand): a slider over every revision with play/pause, speeds,
 * steps and saved-revision jumps; an activity chart (changes per author, click to jump); the
 * revisions grouped by pauses, zoomable down to single revisions (timeline-groups.ts); the
 * shown revision read-only in the normal editor look, or as a diff against the one before (or
 * across a picked group), or between any two revisions (revision-compare.ts), or (for the
 * live text) coloured by author; restore, fork and save buttons; "Return to live".
 * On the Board tab it shows the board as of the shown revision instead, read-only.
 */
import { Editor } from '@tiptap/core';
import { padExtensions } from '../../../common/extensions.js';
import type { PadViews } from '../board/board-tab.js';
import type { RevisionBoard } from '../board/revision-board.js';
import './history.css';
import { titleWithShortcut } from '../editor/shortcuts.js';
import { authorTint } from '../authorship/author-tint.js';
import { el } from '../dom.js';
import type { TimelineT } from '../../../common/history-schemas.js';
import { historyApi } from './history-api.js';
import { createRevisionCompare } from './revision-compare.js';
import { forkRevisionDialog, restoreRevisionDialog, saveRevisionDialog } from './revision-dialogs.js';
import { mountTimelineGroups } from './timeline-groups.js';

export interface TimesliderOptions {
  padId: string;
  /** Where the panel goes (it replaces the live editor while open). */
  host: HTMLElement;
  /** The pad's Notes / Board tabs; on the Board tab the revision's board is shown. */
  views?: Pick<PadViews, 'current' | 'onSwitch'>;
  /** The revision to show first (default: the last). */
  startRev?: number;
  onClose(): void;
}

export interface TimesliderHandle {
  close(): void;
}

const SPEEDS = [1, 2, 5, 10, 25];

const dark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

export async function openTimeslider(options: TimesliderOptions): Promise<TimesliderHandle> {
  const { padId } = options;
  let timeline: TimelineT = await historyApi.timeline(padId);
  let shown = options.startRev !== undefined ? Math.min(Math.max(options.startRev, timeline.firstRev), timeline.lastRev) : timeline.lastRev;
  let mode: 'content' | 'diff' | 'compare' | 'authors' = 'content';
  /** Set when a timeline group was picked in the "changes" view: its whole change is shown. */
  let groupChange: { from: number; to: number } | null = null;
  let playing: number | null = null;
  let loadToken = 0;

  const slider = el('input', {
    className: 'timeslider__slider',
    attrs: { type: 'range', 'aria-label': 'Revision', 'data-testid': 'timeslider-slider' },
  });
  const info = el('div', { className: 'timeslider__info', attrs: { 'data-testid': 'timeslider-info', 'aria-live': 'polite' } });
  const chart = el('canvas', {
    className: 'timeslider__chart',
    attrs: { height: '48', width: '800', 'aria-label': 'Edits over time by author; click to jump' },
  });
  const button = (label: string, title: string, onClick: () => void) => {
    const b = el('button', { className: 'button', text: label, attrs: { type: 'button', title } });
    b.addEventListener('click', onClick);
    return b;
  };
  const speed = el(
    'select',
    { className: 'timeslider__speed', attrs: { 'aria-label': 'Playback speed' } },
    ...SPEEDS.map((s) => el('option', { text: `${s}x`, attrs: { value: String(s) } })),
  );
  const playButton = button('Play', 'Play through the revisions', () => togglePlay());
  const modeSelect = el(
    'select',
    { attrs: { 'aria-label': 'View', 'data-testid': 'timeslider-view' } },
    el('option', { text: 'Revision', attrs: { value: 'content' } }),
    el('option', { text: 'Changes (from the one before, or in a timeline group)', attrs: { value: 'diff' } }),
    el('option', { text: 'Compare two revisions', attrs: { value: 'compare' } }),
    el('option', { text: 'Who wrote what (live text)', attrs: { value: 'authors' } }),
  );
  const compare = createRevisionCompare();
  const status = el('p', { className: 'timeslider__status muted', attrs: { role: 'status' } });
  const body = el('div', { className: 'timeslider__body' });
  const viewer = el('div', { className: 'editor timeslider__viewer' });
  const diffView = el('div', { className: 'editor pad-content timeslider__diff', attrs: { hidden: '', 'data-testid': 'timeslider-diff' } });
  const boardHost = el('div', {
    className: 'board-panel timeslider__board',
    attrs: { hidden: '', 'data-testid': 'timeslider-board', 'aria-label': 'Board as of this revision' },
  });
  let board: Promise<RevisionBoard> | null = null;
  const loadBoard = () =>
    (board ??= import('../board/revision-board.js').then(({ mountRevisionBoard }) => mountRevisionBoard(boardHost, `${padId}-r`)));
  body.append(viewer, diffView, boardHost);

  const panel = el(
    'section',
    { className: 'timeslider' },
    el(
      'div',
      { className: 'timeslider__bar' },
      el('h2', { className: 'timeslider__title', text: 'History' }),
      button('Return to live', 'Back to the live pad', () => handle.close()),
    ),
    chart,
    el(
      'div',
      { className: 'timeslider__controls' },
      button('◀', 'Previous revision', () => show(shown - 1)),
      playButton,
      speed,
      button('▶', 'Next revision', () => show(shown + 1)),
      button('⇤ Saved', 'Previous saved revision', () => jumpSaved(-1)),
      button('Saved ⇥', 'Next saved revision', () => jumpSaved(1)),
      slider,
    ),
    info,
    el(
      'div',
      { className: 'timeslider__actions' },
      modeSelect,
      button('☆ Save revision', titleWithShortcut('Star this revision with a label', 'Mod-s'), () => void saveShown()),
      button('Restore this revision', 'Make the live pad equal to this revision (as a new revision)', () => void restoreShown()),
      button('Fork…', 'Start a new pad from this revision', () => void forkShown()),
      el('a', { className: 'button', text: 'Export markdown', attrs: { href: '#' } }),
    ),
    compare.element,
    status,
    body,
  );
  panel.dataset.testid = 'timeslider';
  const exportLink = panel.querySelector('a') as HTMLAnchorElement;
  options.host.append(panel);
  const groupsHost = el('div');
  chart.after(groupsHost);
  const groups = mountTimelineGroups({
    padId,
    host: groupsHost,
    onPick: (group) => {
      if (mode === 'compare') return compare.pick(group.lastRev);
      void show(group.lastRev, { from: Math.max(timeline.firstRev, group.firstRev - 1), to: group.lastRev });
    },
  });

  const editor = new Editor({
    element: viewer,
    extensions: padExtensions(),
    editable: false,
    editorProps: { attributes: { class: 'pad-content', 'aria-label': 'Revision content', 'aria-readonly': 'true' } },
  });

  const setRange = () => {
    slider.min = String(timeline.firstRev);
    slider.max = String(timeline.lastRev);
    slider.value = String(shown);
    slider.disabled = timeline.lastRev === 0;
    compare.setBounds(timeline.firstRev, timeline.lastRev);
  };

  function drawChart(): void {
    const ctx = chart.getContext('2d');
    if (!ctx) return;
    chart.width = chart.clientWidth || 800;
    const { buckets, authors } = timeline;
    ctx.clearRect(0, 0, chart.width, chart.height);
    const max = Math.max(1, ...buckets.map((b) => b.changes.reduce((a, c) => a + c, 0)));
    const w = chart.width / Math.max(1, buckets.length);
    buckets.forEach((bucket, i) => {
      let y = chart.height;
      bucket.changes.forEach((n, a) => {
        const h = (Math.sqrt(n) / Math.sqrt(max)) * chart.height;
        ctx.fillStyle = authors[a]?.color || '#868e96';
        ctx.fillRect(i * w, y - h, Math.max(1, w - 1), h);
        y -= h;
      });
    });
  }

  chart.addEventListener('click', (event) => {
    const rect = chart.getBoundingClientRect();
    const bucket = timeline.buckets[Math.floor(((event.clientX - rect.left) / rect.width) * timeline.buckets.length)];
    if (bucket) void show(bucket.firstRev);
  });

  async function render(): Promise<void> {
    const token = ++loadToken;
    exportLink.href = `/api/v1/pads/${encodeURIComponent(padId)}/revisions/${shown}/export.md`;
    if (timeline.lastRev === 0) {
      info.textContent = 'This pad has no history yet.';
      return;
    }
    const onBoard = options.views?.current() === 'board';
    modeSelect.disabled = onBoard;
    compare.element.hidden = onBoard || mode !== 'compare';
    groups.markShown(shown);
    groups.markPicked(mode === 'compare' ? Object.values(compare.range()) : []);
    const [revision, content, shapes] = await Promise.all([
      historyApi.revision(padId, shown),
      mode === 'content' && !onBoard ? historyApi.content(padId, shown) : Promise.resolve(null),
      onBoard ? historyApi.board(padId, shown) : Promise.resolve(null),
    ]);
    if (token !== loadToken) return;
    const saved = timeline.saved.filter((s) => s.rev === shown).map((s) => `★ ${s.label}`);
    info.textContent = `Revision ${revision.rev} of ${timeline.lastRev} · ${new Date(revision.time).toLocaleString()} · ${revision.authors.map((a) => a.name).join(', ')}${saved.length ? ' · ' + saved.join(', ') : ''}`;
    viewer.hidden = onBoard || mode !== 'content';
    diffView.hidden = onBoard || mode === 'content';
    boardHost.hidden = !onBoard;
    if (shapes) {
      // The board takes the rest of the window below the controls, as the live one does.
      boardHost.style.height = `${Math.max(320, window.innerHeight - boardHost.getBoundingClientRect().top - 8)}px`;
      const revisionBoard = await loadBoard();
      if (token !== loadToken) return;
      revisionBoard.show(shapes.shapes);
      revisionBoard.shown();
      boardHost.dataset.rev = String(shown);
      return;
    }
    if (content) editor.commands.setContent(content, { emitUpdate: false });
    if (mode === 'diff' || mode === 'compare') {
      const range = mode === 'compare' ? compare.range() : (groupChange ?? { from: Math.max(timeline.firstRev, shown - 1), to: shown });
      diffView.dataset.from = String(range.from);
      diffView.dataset.to = String(range.to);
      const diff = await historyApi.diff(padId, range.from, range.to);
      if (token !== loadToken) return;
      const heading = el('p', {
        className: 'timeslider__diff-range muted',
        text:
          range.from === range.to
            ? `Revision ${range.to} against itself: no changes.`
            : `Changes from revision ${range.from} to revision ${range.to}`,
      });
      diffView.replaceChildren(
        heading,
        ...diff.changes.map((p) =>
          p.op === 'equal' ? document.createTextNode(p.text) : el(p.op === 'insert' ? 'ins' : 'del', { text: p.text }),
        ),
      );
    } else if (mode === 'authors') {
      const authorship = await historyApi.authorship(padId);
      if (token !== loadToken) return;
      const byId = new Map(authorship.authors.map((a) => [a.id, a]));
      diffView.replaceChildren(
        ...authorship.spans.map((span) => {
          const author = span.author ? byId.get(span.author) : undefined;
          if (!author) return document.createTextNode(span.text);
          const node = el('span', { className: 'authorship-span', text: span.text, attrs: { title: author.name } });
          node.style.backgroundColor = authorTint(author.color, dark());
          return node;
        }),
      );
    }
  }

  /** Shows revision `rev`; `change` is the span of a picked timeline group, shown in the "changes" view. */
  async function show(rev: number, change: { from: number; to: number } | null = null): Promise<void> {
    groupChange = change;
    shown = Math.min(timeline.lastRev, Math.max(timeline.firstRev, rev));
    slider.value = String(shown);
    try {
      await render();
    } catch (err) {
      status.textContent = (err as Error).message;
    }
  }

  function togglePlay(): void {
    if (playing !== null) {
      clearInterval(playing);
      playing = null;
      playButton.textContent = 'Play';
      return;
    }
    if (shown >= timeline.lastRev) void show(timeline.firstRev);
    playButton.textContent = 'Pause';
    playing = window.setInterval(() => {
      if (shown >= timeline.lastRev) return togglePlay();
      void show(shown + 1);
    }, 1000 / Number(speed.value));
  }

  function jumpSaved(direction: 1 | -1): void {
    const revs = timeline.saved.map((s) => s.rev).sort((a, b) => a - b);
    const target = direction > 0 ? revs.find((r) => r > shown) : revs.reverse().find((r) => r < shown);
    if (target !== undefined) void show(target);
    else status.textContent = direction > 0 ? 'No saved revision after this one.' : 'No saved revision before this one.';
  }

  async function refresh(): Promise<void> {
    timeline = await historyApi.timeline(padId);
    setRange();
    drawChart();
    await groups.reload();
  }

  async function saveShown(): Promise<void> {
    const saved = await saveRevisionDialog(padId, shown);
    if (!saved) return;
    await refresh();
    status.textContent = `Saved revision ${saved.rev} as "${saved.label}".`;
  }

  async function restoreShown(): Promise<void> {
    const rev = shown;
    const restoredAs = await restoreRevisionDialog(padId, rev);
    if (restoredAs === null) return;
    await refresh();
    status.textContent = `Restored revision ${rev} as revision ${restoredAs}.`;
    await show(restoredAs);
  }

  async function forkShown(): Promise<void> {
    const rev = shown;
    const created = await forkRevisionDialog(padId, rev);
    if (created) status.replaceChildren('Created ', el('a', { text: created, attrs: { href: `/p/${created}` } }), ` from revision ${rev}.`);
  }

  slider.addEventListener('input', () => void show(Number(slider.value)));
  modeSelect.addEventListener('change', () => {
    mode = modeSelect.value as typeof mode;
    void render();
  });
  compare.onChange(() => {
    if (mode === 'compare') void render();
  });
  const onKey = (event: KeyboardEvent) => {
    if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (!document.querySelector('dialog[open]')) void saveShown();
    }
  };
  document.addEventListener('keydown', onKey);
  const stopViews = options.views?.onSwitch(() => void render().catch((err: unknown) => (status.textContent = (err as Error).message)));

  setRange();
  drawChart();
  await groups.reload();
  if (timeline.forkedFrom)
    status.replaceChildren(
      'Forked from ',
      el('a', { text: timeline.forkedFrom.padId, attrs: { href: `/p/${timeline.forkedFrom.padId}` } }),
      ` at revision ${timeline.forkedFrom.rev}.`,
    );
  await show(shown);

  const handle: TimesliderHandle = {
    close() {
      if (playing !== null) clearInterval(playing);
      document.removeEventListener('keydown', onKey);
      stopViews?.();
      void board?.then((b) => b.destroy());
      editor.destroy();
      panel.remove();
      options.onClose();
    },
  };
  return handle;
}
