/**
 * Events, teams, schedule and search: the JSON shapes of `/api/v1/events` and `/api/v1/search`.
 * One TypeBox schema per shape validates requests on the server, documents the API (OpenAPI)
 * and gives the TypeScript types both sides use (`Static<...>`; the client imports types only).
 */
import { Type, type Static } from 'typebox';

/** Event and team slugs: lowercase, like pad ids; `<event>-<team>` must also be a valid pad id. */
export const SLUG_PATTERN = '^[a-z0-9][a-z0-9_-]{0,59}$';
export const SLUG_REGEXP = new RegExp(SLUG_PATTERN);
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const TIME_PATTERN = '^([01]\\d|2[0-3]):[0-5]\\d$';
/** `#rgb`, `#rrggbb`, `#rrggbbaa` or a CSS colour name. */
const COLOR_PATTERN = '^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30})$';

export const Slug = Type.String({ pattern: SLUG_PATTERN, description: 'lowercase letters, digits, "-" and "_"' });
const DateString = Type.String({ pattern: DATE_PATTERN, description: 'YYYY-MM-DD' });
const Time = Type.String({ pattern: TIME_PATTERN, description: 'HH:MM, 24-hour, in the event time zone' });
const Text = (maxLength: number) => Type.String({ maxLength });

export const Slot = Type.Object({ name: Type.String({ minLength: 1, maxLength: 40 }), start: Time, end: Time });
export const Day = Type.Object({
  date: DateString,
  label: Type.Optional(Text(60)),
  slots: Type.Array(Slot, { maxItems: 48 }),
});
export const Booking = Type.Object({
  room: Type.String({ minLength: 1, maxLength: 100 }),
  day: DateString,
  slot: Type.String({ minLength: 1, maxLength: 40 }),
  team: Slug,
});

const BoardFields = {
  now: Type.Optional(Type.Union([Text(500), Type.Null()])),
  next: Type.Optional(Type.Array(Text(500), { maxItems: 20 })),
};

export const TeamInput = Type.Object(
  {
    slug: Slug,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    color: Type.Optional(Type.Union([Type.String({ pattern: COLOR_PATTERN }), Type.Null()])),
    padUrl: Type.Optional(Type.Union([Type.String({ pattern: '^https?://', maxLength: 500 }), Type.Null()])),
    ...BoardFields,
  },
  { additionalProperties: true },
);
export const TeamPatch = Type.Omit(TeamInput, ['slug']);

export const EventInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    startsOn: Type.Optional(DateString),
    endsOn: Type.Optional(DateString),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA name, e.g. Europe/Paris' })),
    rooms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200 })),
    slots: Type.Optional(Type.Array(Slot, { maxItems: 48, description: 'the same slots on every day' })),
    days: Type.Optional(Type.Array(Day, { maxItems: 31, description: 'per-day slots; wins over `slots`' })),
    teams: Type.Optional(Type.Array(TeamInput, { maxItems: 500, description: 'replaces the team list when given' })),
    bookings: Type.Optional(Type.Array(Booking, { maxItems: 20000, description: 'replaces the schedule when given' })),
    extras: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);

export const BoardInput = Type.Object({
  now: Type.Union([Text(500), Type.Null()]),
  next: Type.Optional(Type.Array(Text(500), { maxItems: 20 })),
});
export const ScheduleInput = Type.Object({ bookings: Type.Array(Booking, { maxItems: 20000 }) });
export const PadCreateInput = Type.Object({
  topic: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,79}$', description: 'the pad becomes <event>-<team>-<topic>' }),
  title: Type.Optional(Type.String({ maxLength: 200 })),
});
export const PadTitleInput = Type.Object({ title: Type.String({ maxLength: 200 }) });

export const ForkOf = Type.Object(
  { padId: Type.String(), rev: Type.Integer() },
  { description: 'the pad and revision this pad was forked from' },
);

export const TeamPad = Type.Object({
  id: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  heading: Type.Union([Type.String(), Type.Null()], { description: 'the first heading of the pad, shown when it has no title' }),
  main: Type.Boolean({ description: 'the team main pad <event>-<team>' }),
  url: Type.String({ description: 'path of the pad page' }),
  updatedAt: Type.Union([Type.String(), Type.Null()], { description: 'last edit, ISO time; null while nothing is written in it' }),
  live: Type.Integer({ description: 'connections open on the pad now' }),
  forkOf: Type.Union([ForkOf, Type.Null()], { description: 'set for a fork: listed, but left out of recaps' }),
});

export const Team = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  color: Type.Union([Type.String(), Type.Null()]),
  padUrl: Type.Union([Type.String(), Type.Null()]),
  now: Type.Union([Type.String(), Type.Null()]),
  next: Type.Array(Type.String()),
  boardUpdatedAt: Type.Union([Type.String(), Type.Null()]),
  pads: Type.Array(TeamPad),
});

const EventFields = {
  slug: Type.String(),
  name: Type.String(),
  startsOn: Type.String(),
  endsOn: Type.String(),
  timeZone: Type.String(),
  url: Type.String({ description: 'path of the event page' }),
};

export const EventSummary = Type.Object({
  ...EventFields,
  teams: Type.Integer(),
  status: Type.Union([Type.Literal('current'), Type.Literal('upcoming'), Type.Literal('past')]),
});
export const EventList = Type.Object({ events: Type.Array(EventSummary) });

export const Event = Type.Object({
  ...EventFields,
  rooms: Type.Array(Type.String()),
  days: Type.Array(Day),
  extras: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  teams: Type.Array(Team),
  bookings: Type.Array(Booking),
});

/** Where a pad belongs: its event and team (`<event>-<team>` or `<event>-<team>-<topic>`). */
export const PadPlace = Type.Object({
  event: Type.Object({ slug: Type.String(), name: Type.String(), url: Type.String({ description: 'path of the event page' }) }),
  team: Type.Object({ slug: Type.String(), name: Type.String(), color: Type.Union([Type.String(), Type.Null()]) }),
});

export const Schedule = Type.Object({ rooms: Type.Array(Type.String()), days: Type.Array(Day), bookings: Type.Array(Booking) });

export const SearchHit = Type.Object({
  padId: Type.String(),
  url: Type.String(),
  snippet: Type.String({ description: 'plain text around the matches' }),
  highlights: Type.Array(Type.Tuple([Type.Integer(), Type.Integer()]), {
    description: '[start, end) UTF-16 offsets in `snippet` of the matched words',
  }),
  event: Type.Union([Type.String(), Type.Null()]),
  team: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
  heading: Type.Union([Type.String(), Type.Null()], { description: 'the first heading of the pad' }),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});
export const SearchResults = Type.Object({ query: Type.String(), results: Type.Array(SearchHit) });

/** An open action item carried forward from a team's pad at an earlier event. */
export const OpenItem = Type.Object({
  text: Type.String({ description: 'the item as plain text, owners first (`alice: write the spec`)' }),
  markdown: Type.String({ description: 'the item as a markdown task (`- [ ] alice: write the spec`)' }),
  owners: Type.Array(Type.String()),
  padId: Type.String(),
  padUrl: Type.String({ description: 'path of the pad page' }),
});
export const OpenItems = Type.Object({
  team: Type.String(),
  before: Type.Union([Type.String(), Type.Null()]),
  events: Type.Array(
    Type.Object({
      slug: Type.String(),
      name: Type.String(),
      startsOn: Type.String(),
      url: Type.String({ description: 'path of the event page' }),
      items: Type.Array(OpenItem),
    }),
    { description: 'the earlier events with a team of this slug, latest first' },
  ),
});

const RecapCounts = Type.Object(
  {
    action: Type.Integer(),
    decision: Type.Integer(),
    question: Type.Integer(),
    info: Type.Integer(),
    link: Type.Integer(),
  },
  { description: 'items listed per kind' },
);

/** `GET /api/v1/events/<event>/recap.json`: the recap as markdown and text, whole and per team. */
export const EventRecap = Type.Object({
  event: Type.Object({ slug: Type.String(), name: Type.String(), url: Type.String({ description: 'path of the event page' }) }),
  by: Type.Union([Type.Literal('pad'), Type.Literal('session')]),
  summaryOnly: Type.Boolean(),
  markdown: Type.String({ description: 'the whole recap, markdown made for pasting' }),
  text: Type.String({ description: 'the whole recap, plain text wrapped at 72 columns' }),
  teams: Type.Array(
    Type.Object({
      slug: Type.String(),
      name: Type.String(),
      markdown: Type.String(),
      text: Type.String(),
      html: Type.String({ description: "the team's part as an HTML fragment (every text escaped), for a preview" }),
      counts: RecapCounts,
    }),
  ),
});

/** The `/api/v1/events/<event>/live` server-sent event `counts`: live connections per pad id. */
export const LiveCounts = Type.Object({ pads: Type.Record(Type.String(), Type.Integer()) });

export type SlotT = Static<typeof Slot>;
export type DayT = Static<typeof Day>;
export type BookingT = Static<typeof Booking>;
export type TeamInputT = Static<typeof TeamInput>;
export type TeamPatchT = Static<typeof TeamPatch>;
export type EventInputT = Static<typeof EventInput>;
export type TeamPadT = Static<typeof TeamPad>;
export type TeamT = Static<typeof Team>;
export type EventT = Static<typeof Event>;
export type EventSummaryT = Static<typeof EventSummary>;
export type PadPlaceT = Static<typeof PadPlace>;
export type SearchHitT = Static<typeof SearchHit>;
export type SearchResultsT = Static<typeof SearchResults>;
export type LiveCountsT = Static<typeof LiveCounts>;
export type ForkOfT = Static<typeof ForkOf>;
export type OpenItemsT = Static<typeof OpenItems>;
export type EventRecapT = Static<typeof EventRecap>;
