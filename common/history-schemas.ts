/**
 * History: the JSON shapes of `/api/v1/pads/<padId>/...` revisions, timeline, revision groups,
 * diff, authorship, authors, saved revisions, restore, fork and compaction. One TypeBox schema
 * per shape documents the route (OpenAPI) and gives the TypeScript types both sides use
 * (`Static<...>`; the client imports types only). Answers are exact (`additionalProperties:
 * false`), so a field the server adds or drops shows up in the check of its answers
 * (tests/integration/history-api.test.ts) instead of drifting from what the timeslider reads.
 */
import { Type, type Static } from 'typebox';

const exact = { additionalProperties: false } as const;

export const HistoryPadId = Type.String({ maxLength: 300 });
export const Rev = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** An author as others see it: the public id, never the secret author id in its cookie. */
export const HistoryAuthor = Type.Object(
  {
    id: Type.String({ description: "the author's public id (never the secret id in its cookie)" }),
    name: Type.String(),
    color: Type.String(),
  },
  exact,
);

export const RevisionView = Type.Object(
  {
    rev: Type.Integer(),
    time: Type.String({ description: 'ISO time of the last edit in the revision' }),
    startTime: Type.String({ description: 'ISO time of the first edit in the revision' }),
    authors: Type.Array(HistoryAuthor),
    updates: Type.Integer({ description: 'committed updates in the revision' }),
    bytes: Type.Integer({ description: 'bytes of those updates as committed' }),
    inserted: Type.Integer({ description: 'characters inserted' }),
    deleted: Type.Integer({ description: 'characters deleted' }),
  },
  exact,
);

/** `GET .../revisions`: oldest first; `next` is the `?after=` of the next page, null on the last. */
export const RevisionList = Type.Object({ revisions: Type.Array(RevisionView), next: Type.Union([Type.Integer(), Type.Null()]) }, exact);

export const SavedRevision = Type.Object(
  {
    id: Type.Integer(),
    rev: Type.Integer(),
    label: Type.String(),
    author: Type.String({ description: 'public id of who saved it' }),
    createdAt: Type.Number({ description: 'Unix time, ms' }),
  },
  exact,
);

export const SavedRevisionList = Type.Object({ saved: Type.Array(SavedRevision) }, exact);

export const ForkOrigin = Type.Object(
  { padId: Type.String(), rev: Type.Integer(), createdAt: Type.Number({ description: 'Unix time, ms' }) },
  exact,
);

export const TimelineBucket = Type.Object(
  {
    firstRev: Type.Integer(),
    lastRev: Type.Integer(),
    time: Type.Number({ description: "Unix ms of the bucket's last revision" }),
    changes: Type.Array(Type.Number(), { description: 'changed characters per author, indexed like the timeline\'s "authors"' }),
  },
  exact,
);

/** `GET .../timeline`: what the timeslider opens with. A pad without revisions has 0 and 0. */
export const Timeline = Type.Object(
  {
    firstRev: Type.Integer(),
    lastRev: Type.Integer(),
    authors: Type.Array(HistoryAuthor),
    buckets: Type.Array(TimelineBucket),
    saved: Type.Array(SavedRevision),
    forkedFrom: Type.Union([ForkOrigin, Type.Null()]),
  },
  exact,
);

export const RevisionGroup = Type.Object(
  {
    firstRev: Type.Integer(),
    lastRev: Type.Integer(),
    startTime: Type.String({ description: "ISO time of the first revision's start" }),
    endTime: Type.String({ description: "ISO time of the last revision's end" }),
    authors: Type.Array(HistoryAuthor, { description: 'in order of first appearance' }),
    revisions: Type.Integer(),
    inserted: Type.Integer(),
    deleted: Type.Integer(),
  },
  exact,
);

/** `GET .../revision-groups`. */
export const RevisionGroups = Type.Object(
  {
    pauseMs: Type.Integer({ description: 'the pause the groups were split at, ms (0: single revisions)' }),
    levels: Type.Array(Type.Integer(), { description: "the zoom levels' pauses, coarsest first, ending with 0" }),
    groups: Type.Array(RevisionGroup),
  },
  exact,
);

export const DiffPart = Type.Object(
  { op: Type.Union([Type.Literal('equal'), Type.Literal('insert'), Type.Literal('delete')]), text: Type.String() },
  exact,
);

/** `GET .../diff`: `changes` word by word, `blocks` line by line; `to` "live" for the live pad. */
export const RevisionDiff = Type.Object(
  {
    from: Type.Integer(),
    to: Type.Union([Type.Integer(), Type.Literal('live')]),
    changes: Type.Array(DiffPart),
    blocks: Type.Array(DiffPart),
  },
  exact,
);

export const AuthorSpan = Type.Object(
  {
    author: Type.Union([Type.String(), Type.Null()], {
      description: 'public author id; null between blocks ("\\n") and for text not indexed yet',
    }),
    text: Type.String(),
  },
  exact,
);

const ClientMap = Type.Record(Type.String(), Type.String(), { description: 'Yjs client id -> public author id' });

/** `GET .../authorship`: who wrote each part of the live text, spans in document order. */
export const Authorship = Type.Object({ spans: Type.Array(AuthorSpan), authors: Type.Array(HistoryAuthor), clients: ClientMap }, exact);

/** `GET .../authors`: what the pad page shades live text by. */
export const ClientAuthors = Type.Object({ clients: ClientMap, authors: Type.Array(HistoryAuthor) }, exact);

export const RestoreResult = Type.Object({ restored: Type.Integer(), rev: Type.Integer({ description: 'the new last revision' }) }, exact);

export const ForkRequest = Type.Object({ newPadId: HistoryPadId });
export const ForkResult = Type.Object({ padId: Type.String(), forkedFrom: ForkOrigin }, exact);

/** Without `rev`, the latest revision is saved. */
export const SaveRevisionRequest = Type.Object({ label: Type.String({ minLength: 1, maxLength: 200 }), rev: Type.Optional(Rev) });

export const CompactRequest = Type.Object({ before: Type.String({ format: 'date-time' }) });
export const CompactResult = Type.Object(
  { squashedInto: Type.Union([Type.Integer(), Type.Null()]), removedRevisions: Type.Integer() },
  exact,
);

export type HistoryAuthorT = Static<typeof HistoryAuthor>;
export type RevisionViewT = Static<typeof RevisionView>;
export type RevisionListT = Static<typeof RevisionList>;
export type SavedRevisionT = Static<typeof SavedRevision>;
export type ForkOriginT = Static<typeof ForkOrigin>;
export type TimelineBucketT = Static<typeof TimelineBucket>;
export type TimelineT = Static<typeof Timeline>;
export type RevisionGroupT = Static<typeof RevisionGroup>;
export type RevisionGroupsT = Static<typeof RevisionGroups>;
export type DiffPartT = Static<typeof DiffPart>;
export type RevisionDiffT = Static<typeof RevisionDiff>;
export type AuthorSpanT = Static<typeof AuthorSpan>;
export type AuthorshipT = Static<typeof Authorship>;
export type ClientAuthorsT = Static<typeof ClientAuthors>;
export type RestoreResultT = Static<typeof RestoreResult>;
export type ForkRequestT = Static<typeof ForkRequest>;
export type ForkResultT = Static<typeof ForkResult>;
export type SaveRevisionRequestT = Static<typeof SaveRevisionRequest>;
export type CompactResultT = Static<typeof CompactResult>;
