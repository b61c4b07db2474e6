/**
 * Loads what recaps are built from (common/markdown/recap.ts): an event's teams and their pads
 * (forks marked), each pad's content and board, and for by-session recaps the team's booked
 * blocks and when each line was written (line-times.ts, from the pad's update log). Also the
 * open action items a team left in its pads at earlier events, to carry forward.
 */
import type { JSONContent } from '@tiptap/core';
import { readBoard, stickiesByColor } from '../../common/board/board-doc.js';
import type { OpenItemsT } from '../../common/event-schemas.js';
import { plainText } from '../../common/markdown/inline-lines.js';
import { CONTENT_FIELD, readPadDoc } from '../../common/markdown/pad-content.js';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import { actionLine, actionList, eventRecap, padRecap, type Recap, type RecapOptions, type RecapPad } from '../../common/markdown/recap.js';
import { summarizePad } from '../../common/markdown/recap-summary.js';
import { blockLabel, sessionBlocks } from '../../common/schedule.js';
import { ApiError } from '../errors.js';
import type { HistoryStore } from '../history/types.js';
import type { PadStore } from '../store/pad-store.js';
import type { Rooms } from '../sync/rooms.js';
import type { EventService } from './event-service.js';
import { lineTimesOf, WriteTimes } from './line-times.js';

export interface RecapServiceOptions {
  events: EventService;
  pads: Pick<PadStore, 'getPad'>;
  rooms: Rooms;
  history: Pick<HistoryStore, 'readUpdates'>;
}

/** Earlier events whose open items a team carries forward, at most. */
export const MAX_EARLIER_EVENTS = 5;
/** Open items listed per earlier event, at most. */
const MAX_ITEMS_PER_EVENT = 200;
/** Log rows read per batch while timing lines. */
const LOG_BATCH = 1000;
/**
 * How long open items are kept, ms: every team card of an event page asks for them, and each
 * answer reads the team's pads at up to five earlier events, which rarely change any more.
 */
const OPEN_ITEMS_KEEP_MS = 60_000;
/** Answers kept at most (team and event pairs). */
const OPEN_ITEMS_KEPT = 1000;

export class RecapService {
  private readonly openKept = new Map<string, { until: number; answer: Promise<OpenItemsT> }>();

  constructor(private readonly options: RecapServiceOptions) {}

  /** The recap of event `slug`; `base` is the server's public URL for links. */
  async forEvent(slug: string, base: string, options: RecapOptions = {}): Promise<Recap> {
    const event = await this.options.events.get(slug);
    const blocks = options.bySession ? sessionBlocks(event.days, event.bookings, event.timeZone) : [];
    const teams = [];
    for (const team of event.teams) {
      const pads: RecapPad[] = [];
      for (const pad of team.pads) {
        if (pad.forkOf) pads.push({ id: pad.id, title: pad.title, url: `${base}${pad.url}`, doc: null, forkOf: pad.forkOf });
        else pads.push(await this.loadPad(pad.id, `${base}${pad.url}`, pad.title, options.bySession === true && !options.summaryOnly));
      }
      const sessions = blocks
        .filter((b) => b.team === team.slug)
        .map((b) => ({ label: blockLabel(b), startsAt: b.startsAt, endsAt: b.endsAt }));
      teams.push({ slug: team.slug, name: team.name, pads, sessions });
    }
    return eventRecap({ event: { name: event.name, url: `${base}${event.url}` }, teams }, options);
  }

  /** The recap of one pad (404 if it was never created). */
  async forPad(padId: string, base: string, options: RecapOptions = {}): Promise<Recap> {
    const pad = await this.loadPad(padId, `${base}/p/${padId}`, null, false);
    if (!pad.doc) throw new ApiError('padNotFound', `No pad named "${padId}".`);
    return padRecap(pad, options);
  }

  /**
   * The open action items of team `team` in its pads (forks left out) at the events before
   * `before` (those that started earlier; every event with the team when null), latest first.
   * Answers are kept for a minute.
   */
  openItems(team: string, before: string | null, now = Date.now()): Promise<OpenItemsT> {
    const key = `${team} ${before ?? ''}`;
    const kept = this.openKept.get(key);
    if (kept && kept.until > now) return kept.answer;
    const answer = this.readOpenItems(team, before);
    this.openKept.delete(key);
    this.openKept.set(key, { until: now + OPEN_ITEMS_KEEP_MS, answer });
    if (this.openKept.size > OPEN_ITEMS_KEPT) this.openKept.delete(this.openKept.keys().next().value as string);
    // A failure (an unknown event) is not kept.
    answer.catch(() => {
      if (this.openKept.get(key)?.answer === answer) this.openKept.delete(key);
    });
    return answer;
  }

  private async readOpenItems(team: string, before: string | null): Promise<OpenItemsT> {
    const cutoff = before === null ? null : (await this.options.events.requireEvent(before)).startsOn;
    const earlier = (await this.options.events.eventsWithTeam(team))
      .filter((e) => cutoff === null || e.startsOn < cutoff)
      .slice(0, MAX_EARLIER_EVENTS);
    const events: OpenItemsT['events'] = [];
    for (const event of earlier) {
      const items: OpenItemsT['events'][number]['items'] = [];
      for (const pad of await this.options.events.teamPads(event.slug, team)) {
        if (pad.forkOf) continue;
        const { doc } = await this.loadPad(pad.id, pad.url, pad.title, false);
        for (const item of doc ? summarizePad(doc) : []) {
          if (item.kind !== 'action' || items.length >= MAX_ITEMS_PER_EVENT) continue;
          const line = actionLine(item);
          items.push({
            text: plainText({ content: line }),
            markdown: padMarkdown()
              .serialize({ type: 'doc', content: [actionList([item])] }, { style: 'paste' })
              .trim(),
            owners: item.owners,
            padId: pad.id,
            padUrl: pad.url,
          });
        }
      }
      events.push({ slug: event.slug, name: event.name, startsOn: event.startsOn, url: `/e/${event.slug}`, items });
    }
    return { team, before, events };
  }

  /** A pad's content and board (doc null if it was never created); with `times`, when each line was written. */
  private async loadPad(id: string, url: string, title: string | null, times: boolean): Promise<RecapPad> {
    if (!(await this.options.pads.getPad(id))) return { id, title, url, doc: null };
    const writes = times ? await this.writeTimes(id) : null;
    const schema = padMarkdown().schema;
    return this.options.rooms.use(id, (room) => ({
      id,
      title,
      url,
      doc: readPadDoc(room.currentDoc(), schema).toJSON() as JSONContent,
      stickies: stickiesByColor(readBoard(room.currentDoc())),
      lineTimes: writes ? lineTimesOf(room.currentDoc().getXmlFragment(CONTENT_FIELD), writes) : null,
    }));
  }

  /** When each item of the pad's logged updates was committed. */
  private async writeTimes(padId: string): Promise<WriteTimes> {
    // Commits in flight belong to the pad the recap reads.
    await this.options.rooms.commits.drain();
    const writes = new WriteTimes();
    for (let after = 0; ; ) {
      const rows = await this.options.history.readUpdates(padId, after, Number.MAX_SAFE_INTEGER, LOG_BATCH);
      for (const row of rows) writes.add(row.data, row.time);
      if (rows.length < LOG_BATCH) return writes;
      after = rows[rows.length - 1].seq;
    }
  }
}
