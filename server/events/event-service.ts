/**
 * The events feature behind the HTTP routes: reads an event with its teams, their pads and
 * live counts; writes events, teams, boards (now/next), schedules and pad titles, checking
 * every rule in event-model.ts. Emits `change` with the event slug after each write so live
 * feeds can push it.
 */
import { EventEmitter } from 'node:events';
import type {
  BookingT,
  DayT,
  EventInputT,
  EventSummaryT,
  EventT,
  PadPlaceT,
  TeamInputT,
  TeamPadT,
  TeamPatchT,
  TeamT,
} from '../../common/event-schemas.js';
import { dateIn } from '../../common/schedule.js';
import { ApiError } from '../errors.js';
import type { EventRecord, EventStore, PadListing, TeamRecord } from './event-store.js';
import type { PadOutline } from './pad-outlines.js';
import {
  assertTimeZone,
  checkBookings,
  checkDates,
  checkDays,
  daysFromTemplate,
  eventStatus,
  mainPadId,
  teamOfPad,
} from './event-model.js';

export interface EventServiceOptions {
  store: EventStore;
  /** Connections open on a pad right now. */
  liveCount(padId: string): number;
  /** True while a pad is in memory (open, or left moments ago); such a pad cannot be deleted. */
  isLoaded(padId: string): boolean;
  /** Called after a pad is deleted (to drop it from the search index). */
  onPadDeleted?(padId: string): void;
  /**
   * A pad's first heading and whether anything is written in it (pad-outlines.ts), as of its
   * last edit at `updatedAt`. Without it pads have no heading and count as written once edited.
   */
  outline?(padId: string, updatedAt: number | null): PadOutline;
}

const KNOWN_FIELDS = new Set(['name', 'startsOn', 'endsOn', 'timeZone', 'rooms', 'slots', 'days', 'teams', 'bookings', 'extras']);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const STATUS_ORDER = { current: 0, upcoming: 1, past: 2 } as const;

export class EventService extends EventEmitter<{ change: [event: string] }> {
  constructor(private readonly options: EventServiceOptions) {
    super();
    this.setMaxListeners(0);
  }

  /** Current events first, then upcoming (soonest first), then past (latest first). */
  async list(now = Date.now()): Promise<EventSummaryT[]> {
    const events = await this.options.store.listEvents();
    const summaries = events.map((e) => ({
      slug: e.slug,
      name: e.name,
      startsOn: e.startsOn,
      endsOn: e.endsOn,
      timeZone: e.timeZone,
      url: `/e/${e.slug}`,
      teams: e.teamCount,
      status: eventStatus(e, now),
    }));
    return summaries.sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        (a.status === 'past' ? b.startsOn.localeCompare(a.startsOn) : a.startsOn.localeCompare(b.startsOn)) ||
        a.slug.localeCompare(b.slug),
    );
  }

  /** The event and team whose pads include `padId` (longest match), or null. */
  async placeOfPad(padId: string): Promise<PadPlaceT | null> {
    let best: { length: number; place: PadPlaceT } | null = null;
    for (const event of await this.options.store.listEvents()) {
      if (!padId.startsWith(`${event.slug}-`)) continue;
      const teams = await this.options.store.getTeams(event.slug);
      const slug = teamOfPad(
        event.slug,
        teams.map((t) => t.slug),
        padId,
      );
      const team = teams.find((t) => t.slug === slug);
      if (!team || (best && best.length >= event.slug.length + team.slug.length)) continue;
      best = {
        length: event.slug.length + team.slug.length,
        place: {
          event: { slug: event.slug, name: event.name, url: `/e/${event.slug}` },
          team: { slug: team.slug, name: team.name, color: team.color },
        },
      };
    }
    return best?.place ?? null;
  }

  /** Events with a team named `team`, latest start first. */
  async eventsWithTeam(team: string): Promise<EventRecord[]> {
    const found: EventRecord[] = [];
    for (const event of await this.options.store.listEvents()) {
      if (await this.options.store.getTeam(event.slug, team)) found.push(event);
    }
    return found.sort((a, b) => b.startsOn.localeCompare(a.startsOn) || a.slug.localeCompare(b.slug));
  }

  async requireEvent(slug: string): Promise<EventRecord> {
    const event = await this.options.store.getEvent(slug);
    if (!event) throw new ApiError('notFound', `No event named "${slug}".`);
    return event;
  }

  async requireTeam(event: string, slug: string): Promise<TeamRecord> {
    await this.requireEvent(event);
    const team = await this.options.store.getTeam(event, slug);
    if (!team) throw new ApiError('notFound', `Event "${event}" has no team named "${slug}".`);
    return team;
  }

  async get(slug: string): Promise<EventT> {
    const event = await this.requireEvent(slug);
    const [teams, bookings, pads] = await Promise.all([
      this.options.store.getTeams(slug),
      this.options.store.getBookings(slug),
      this.options.store.listPads(`${slug}-`),
    ]);
    const padsByTeam = this.groupPads(
      slug,
      teams.map((t) => t.slug),
      pads,
    );
    return {
      slug: event.slug,
      name: event.name,
      startsOn: event.startsOn,
      endsOn: event.endsOn,
      timeZone: event.timeZone,
      url: `/e/${event.slug}`,
      rooms: event.rooms,
      days: event.days,
      extras: event.extras,
      createdAt: new Date(event.createdAt).toISOString(),
      updatedAt: new Date(event.updatedAt).toISOString(),
      teams: teams.map((t) => teamView(t, padsByTeam.get(t.slug) ?? [])),
      bookings,
    };
  }

  async getTeamView(event: string, slug: string): Promise<TeamT> {
    const team = await this.requireTeam(event, slug);
    return teamView(team, await this.teamPads(event, slug));
  }

  /** Creates or replaces an event (PUT). Returns whether it was created. */
  async put(slug: string, input: EventInputT, now = Date.now()): Promise<boolean> {
    const existing = await this.options.store.getEvent(slug);
    const timeZone = input.timeZone ?? existing?.timeZone ?? 'UTC';
    assertTimeZone(timeZone);
    const firstDay = input.days?.map((d) => d.date).sort()[0];
    const lastDay = input.days
      ?.map((d) => d.date)
      .sort()
      .at(-1);
    const startsOn = input.startsOn ?? firstDay ?? existing?.startsOn ?? dateIn(timeZone, now);
    const endsOn = input.endsOn ?? lastDay ?? (existing && existing.endsOn >= startsOn && !input.startsOn ? existing.endsOn : startsOn);
    checkDates(startsOn, endsOn);
    let days: DayT[];
    if (input.days) days = [...input.days].sort((a, b) => a.date.localeCompare(b.date));
    else if (input.slots) days = daysFromTemplate(startsOn, endsOn, input.slots);
    else if (existing && existing.startsOn === startsOn && existing.endsOn === endsOn) days = existing.days;
    else days = daysFromTemplate(startsOn, endsOn, existing?.days[0]?.slots ?? []);
    checkDays(days);
    const rooms = input.rooms ?? existing?.rooms ?? [];
    if (new Set(rooms).size !== rooms.length) throw new ApiError('badRequest', 'A room is listed twice.');

    const extraFields = Object.fromEntries(Object.entries(input).filter(([key]) => !KNOWN_FIELDS.has(key)));
    const extras = { ...(existing?.extras ?? {}), ...extraFields, ...(input.extras ?? {}) };
    if (JSON.stringify(extras).length > 64 * 1024) throw new ApiError('payloadTooLarge', 'Event extras are limited to 64 KiB of JSON.');

    let teams: TeamRecord[] | null = null;
    if (input.teams) {
      const old = new Map((existing ? await this.options.store.getTeams(slug) : []).map((t) => [t.slug, t]));
      const seen = new Set<string>();
      teams = input.teams.map((t) => {
        if (seen.has(t.slug)) throw new ApiError('badRequest', `Team "${t.slug}" is listed twice.`);
        seen.add(t.slug);
        mainPadId(slug, t.slug);
        return mergeTeam(old.get(t.slug) ?? null, t, now);
      });
    }
    const teamSlugs = teams ? teams.map((t) => t.slug) : (await this.options.store.getTeams(slug)).map((t) => t.slug);
    let bookings: BookingT[];
    if (input.bookings) {
      checkBookings(input.bookings, rooms, days, teamSlugs);
      bookings = input.bookings;
    } else {
      // Keep the bookings that still fit the new rooms, days and teams.
      const kept = existing ? await this.options.store.getBookings(slug) : [];
      bookings = kept.filter((b) => {
        try {
          checkBookings([b], rooms, days, teamSlugs);
          return true;
        } catch {
          return false;
        }
      });
    }
    const record: EventRecord = {
      slug,
      name: input.name,
      startsOn,
      endsOn,
      timeZone,
      rooms,
      days,
      extras,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const created = await this.options.store.saveEvent(record, teams, bookings);
    this.emit('change', slug);
    return created;
  }

  async deleteEvent(slug: string): Promise<void> {
    if (!(await this.options.store.deleteEvent(slug))) throw new ApiError('notFound', `No event named "${slug}".`);
    this.emit('change', slug);
  }

  /** Adds a team; 409 if the slug is taken. */
  async createTeam(event: string, input: TeamInputT, now = Date.now()): Promise<TeamT> {
    await this.requireEvent(event);
    mainPadId(event, input.slug);
    if (!(await this.options.store.insertTeam(event, mergeTeam(null, input, now)))) {
      throw new ApiError('conflict', `Event "${event}" already has a team named "${input.slug}".`);
    }
    this.emit('change', event);
    return this.getTeamView(event, input.slug);
  }

  async updateTeam(event: string, slug: string, patch: TeamPatchT, now = Date.now()): Promise<TeamT> {
    const team = await this.requireTeam(event, slug);
    await this.options.store.updateTeam(event, mergeTeam(team, { ...patch, slug }, now));
    this.emit('change', event);
    return this.getTeamView(event, slug);
  }

  async deleteTeam(event: string, slug: string): Promise<void> {
    await this.requireTeam(event, slug);
    await this.options.store.deleteTeam(event, slug);
    this.emit('change', event);
  }

  /** Sets a team's now/next board (ptgbot: a new "now" clears "next" unless one is given). */
  async setBoard(event: string, slug: string, now: string | null, next: string[] | undefined, at = Date.now()): Promise<TeamT> {
    return this.updateTeam(event, slug, { now, next: next ?? [] }, at);
  }

  async schedule(event: string): Promise<{ rooms: string[]; days: DayT[]; bookings: BookingT[] }> {
    const e = await this.requireEvent(event);
    return { rooms: e.rooms, days: e.days, bookings: await this.options.store.getBookings(event) };
  }

  async replaceSchedule(event: string, bookings: BookingT[]): Promise<void> {
    const e = await this.requireEvent(event);
    const teams = (await this.options.store.getTeams(event)).map((t) => t.slug);
    checkBookings(bookings, e.rooms, e.days, teams);
    await this.options.store.replaceBookings(event, bookings);
    this.emit('change', event);
  }

  async teamPads(event: string, team: string): Promise<TeamPadT[]> {
    const teams = (await this.options.store.getTeams(event)).map((t) => t.slug);
    const pads = await this.options.store.listPads(`${mainPadId(event, team)}`);
    return this.groupPads(event, teams, pads).get(team) ?? [];
  }

  /** Adds the topic pad `<event>-<team>-<topic>` (idempotent; sets the title if given). */
  async createPad(event: string, team: string, topic: string, title: string | undefined): Promise<{ pad: TeamPadT; created: boolean }> {
    await this.requireTeam(event, team);
    const padId = mainPadId(event, `${team}-${topic.toLowerCase()}`);
    const before = await this.options.store.listPads(padId);
    const created = !before.some((p) => p.id === padId);
    await this.options.store.setPadTitle(padId, title?.trim() || null);
    this.emit('change', event);
    const pad = (await this.teamPads(event, team)).find((p) => p.id === padId);
    if (!pad) throw new ApiError('conflict', `"${padId}" belongs to another team of "${event}".`);
    return { pad, created };
  }

  async setPadTitle(event: string, team: string, padId: string, title: string): Promise<TeamPadT> {
    await this.requirePad(event, team, padId);
    await this.options.store.setPadTitle(padId, title.trim());
    this.emit('change', event);
    const pad = (await this.teamPads(event, team)).find((p) => p.id === padId);
    if (!pad) throw new ApiError('notFound', `No pad "${padId}" in team "${team}".`);
    return pad;
  }

  /** Deletes a pad's content and title; 409 while it is in memory (people in it, or just left). */
  async deletePad(event: string, team: string, padId: string): Promise<void> {
    await this.requirePad(event, team, padId);
    if (this.options.liveCount(padId) > 0)
      throw new ApiError('conflict', `People are in "${padId}" right now; try again once they have left.`);
    if (this.options.isLoaded(padId)) throw new ApiError('conflict', `"${padId}" was open moments ago; try again in a few seconds.`);
    if (!(await this.options.store.deletePad(padId))) throw new ApiError('notFound', `Pad "${padId}" has no content to delete.`);
    this.options.onPadDeleted?.(padId);
    this.emit('change', event);
  }

  private async requirePad(event: string, team: string, padId: string): Promise<void> {
    await this.requireTeam(event, team);
    const teams = (await this.options.store.getTeams(event)).map((t) => t.slug);
    if (teamOfPad(event, teams, padId) !== team) throw new ApiError('notFound', `Pad "${padId}" is not a pad of team "${team}".`);
  }

  private groupPads(event: string, teamSlugs: string[], pads: PadListing[]): Map<string, TeamPadT[]> {
    const byTeam = new Map<string, TeamPadT[]>();
    for (const team of teamSlugs) {
      const id = `${event}-${team}`;
      byTeam.set(team, [
        { id, title: null, heading: null, main: true, url: `/p/${id}`, updatedAt: null, live: this.options.liveCount(id), forkOf: null },
      ]);
    }
    for (const pad of pads) {
      const team = teamOfPad(event, teamSlugs, pad.id);
      const list = team === null ? undefined : byTeam.get(team);
      if (!list) continue;
      const outline = this.options.outline
        ? this.options.outline(pad.id, pad.updatedAt)
        : { heading: null, written: pad.updatedAt !== null };
      const edited = outline.written ? iso(pad.updatedAt) : null;
      if (pad.id === list[0].id) {
        Object.assign(list[0], { title: pad.title, heading: outline.heading, updatedAt: edited, forkOf: pad.forkOf });
      } else {
        list.push({
          id: pad.id,
          title: pad.title,
          heading: outline.heading,
          main: false,
          url: `/p/${pad.id}`,
          updatedAt: edited,
          live: this.options.liveCount(pad.id),
          forkOf: pad.forkOf,
        });
      }
    }
    return byTeam;
  }
}

function teamView(t: TeamRecord, pads: TeamPadT[]): TeamT {
  return {
    slug: t.slug,
    name: t.name,
    color: t.color,
    padUrl: t.padUrl,
    now: t.now,
    next: t.next,
    boardUpdatedAt: iso(t.boardUpdatedAt),
    pads,
  };
}

/** A team record from input, keeping what the input leaves out. */
function mergeTeam(old: TeamRecord | null, input: TeamInputT, now: number): TeamRecord {
  const boardChanged = input.now !== undefined || input.next !== undefined;
  return {
    slug: input.slug,
    name: input.name ?? old?.name ?? input.slug,
    color: input.color !== undefined ? input.color : (old?.color ?? null),
    padUrl: input.padUrl !== undefined ? input.padUrl : (old?.padUrl ?? null),
    now: input.now !== undefined ? input.now : (old?.now ?? null),
    next: input.next ?? old?.next ?? [],
    boardUpdatedAt: boardChanged ? now : (old?.boardUpdatedAt ?? null),
  };
}
