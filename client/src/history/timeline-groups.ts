/**
 * The timeslider's list of revisions grouped by pauses (`GET .../revision-groups`): each group
 * a button with its time, authors, revisions and size of change. "Zoom in" splits at shorter
 * pauses, down to single revisions; "Zoom out" back up to the pad's longest pauses. Picking a
 * group hands it to the timeslider (which shows it, or uses it as one end of a comparison).
 */
import type { RevisionGroupsT, RevisionGroupT } from '../../../common/history-schemas.js';
import { historyApi } from './history-api.js';

export interface TimelineGroupsOptions {
  padId: string;
  host: HTMLElement;
  onPick(group: RevisionGroupT): void;
}

export interface TimelineGroups {
  /** Reloads at the current zoom (after a restore or a new revision). */
  reload(): Promise<void>;
  /** Marks the group that holds `rev` as the shown one. */
  markShown(rev: number): void;
  /** Marks the groups whose last revision is one of `revs` as picked for a comparison. */
  markPicked(revs: readonly number[]): void;
}

function duration(ms: number): string {
  if (ms >= 3_600_000) return `${Math.round(ms / 360_000) / 10} h`;
  if (ms >= 60_000) return `${Math.round(ms / 6_000) / 10} min`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function describe(group: RevisionGroupT): string {
  const when =
    clock(group.startTime) === clock(group.endTime) ? clock(group.startTime) : `${clock(group.startTime)}–${clock(group.endTime)}`;
  const revs = group.firstRev === group.lastRev ? `revision ${group.firstRev}` : `revisions ${group.firstRev}–${group.lastRev}`;
  const who = group.authors.map((a) => a.name).join(', ') || 'Unknown';
  return `${when} · ${who} · ${revs} · +${group.inserted} −${group.deleted}`;
}

export function mountTimelineGroups(options: TimelineGroupsOptions): TimelineGroups {
  const section = document.createElement('section');
  section.className = 'timeline-groups';
  section.setAttribute('aria-labelledby', 'timeline-groups-heading');
  section.dataset.testid = 'timeline-groups';
  const bar = document.createElement('div');
  bar.className = 'timeline-groups__bar';
  const heading = document.createElement('h3');
  heading.id = 'timeline-groups-heading';
  heading.className = 'timeline-groups__heading';
  heading.textContent = 'Timeline';
  const zoomOut = document.createElement('button');
  zoomOut.type = 'button';
  zoomOut.className = 'button';
  zoomOut.textContent = '− Zoom out';
  zoomOut.title = 'Group at longer pauses';
  zoomOut.dataset.testid = 'timeline-zoom-out';
  const zoomIn = document.createElement('button');
  zoomIn.type = 'button';
  zoomIn.className = 'button';
  zoomIn.textContent = '+ Zoom in';
  zoomIn.title = 'Group at shorter pauses, down to single revisions';
  zoomIn.dataset.testid = 'timeline-zoom-in';
  const level = document.createElement('span');
  level.className = 'timeline-groups__level muted';
  level.setAttribute('aria-live', 'polite');
  level.dataset.testid = 'timeline-level';
  bar.append(heading, zoomOut, zoomIn, level);
  const list = document.createElement('ol');
  list.className = 'timeline-groups__list';
  list.dataset.testid = 'timeline-group-list';
  section.append(bar, list);
  options.host.append(section);

  let data: RevisionGroupsT | null = null;
  let levelIndex = 0;
  let shown = 0;
  let picked: readonly number[] = [];

  const paint = (): void => {
    for (const item of list.querySelectorAll<HTMLButtonElement>('button')) {
      const first = Number(item.dataset.firstRev);
      const last = Number(item.dataset.lastRev);
      if (shown >= first && shown <= last) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
      item.setAttribute('aria-pressed', String(picked.includes(last)));
    }
  };

  const render = (): void => {
    if (!data) return;
    const single = data.pauseMs === 0;
    level.textContent = `${data.groups.length} ${single ? 'single revisions' : `groups, split at pauses of ${duration(data.pauseMs)} or more`}`;
    zoomOut.disabled = levelIndex === 0;
    zoomIn.disabled = levelIndex >= data.levels.length - 1;
    list.replaceChildren(
      ...data.groups.map((group) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'timeline-groups__group';
        button.dataset.firstRev = String(group.firstRev);
        button.dataset.lastRev = String(group.lastRev);
        button.textContent = describe(group);
        button.addEventListener('click', () => options.onPick(group));
        item.append(button);
        return item;
      }),
    );
    paint();
  };

  const load = async (): Promise<void> => {
    const pause = data ? data.levels[Math.min(levelIndex, data.levels.length - 1)] : undefined;
    data = await historyApi.groups(options.padId, pause);
    levelIndex = Math.max(0, data.levels.indexOf(data.pauseMs));
    render();
  };
  const zoom = (step: number): void => {
    if (!data) return;
    levelIndex = Math.min(data.levels.length - 1, Math.max(0, levelIndex + step));
    void load();
  };
  zoomOut.addEventListener('click', () => zoom(-1));
  zoomIn.addEventListener('click', () => zoom(1));

  return {
    reload: load,
    markShown(rev) {
      shown = rev;
      paint();
    },
    markPicked(revs) {
      picked = revs;
      paint();
    },
  };
}
