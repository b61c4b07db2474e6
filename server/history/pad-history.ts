/**
 * A pad's history as the API and the timeslider see it: revisions with author profiles, the
 * content of any revision, diffs, authorship of the live text, and the writes that build on
 * history (restore, fork, saved revisions, admin compaction). Content is rebuilt from the
 * stored log and keyframes, never from the live document's (garbage-collected) history.
 */
import type { Node as PmNode } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment, updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type {
  ClientAuthorsT,
  CompactResultT,
  ForkOriginT,
  HistoryAuthorT,
  RevisionGroupsT,
  RevisionListT,
  SavedRevisionT,
  TimelineT,
} from '../../common/history-schemas.js';
import { ApiError } from '../errors.js';
import type { Rooms } from '../sync/rooms.js';
import type { AuthorProfile } from '../sync/types.js';
import { squashRevisionsBefore } from './compaction.js';
import { packSource } from './doc-source.js';
import type { HistoryIndexer } from './history-indexer.js';
import type { DocSource } from './history-work.js';
import type { HistoryWorker } from './history-worker.js';
import { padSchema } from './revision-content.js';
import { groupByPauses, pauseLevels, pausesBetween } from './revision-groups.js';
import { revisionPages } from './revision-pages.js';
import { activityBuckets } from './timeline.js';
import type { ForkOrigin, HistoryStore, Revision, SavedRevision } from './types.js';

export interface PadHistoryDeps {
  store: HistoryStore;
  indexer: HistoryIndexer;
  rooms: Rooms;
  /** Where revisions are rebuilt, diffed and walked for authorship, a few at a time, cached. */
  worker: HistoryWorker;
  /** Latest known name and colour of authors. */
  profiles(ids: readonly string[]): Promise<Map<string, AuthorProfile>>;
  /** What others see of each author id (access/public-author-id.ts): author ids are secret. */
  publicIds(ids: readonly string[]): Promise<Map<string, string>>;
  /** The pad's record, or null if it was never created. */
  padInfo(padId: string): Promise<{ lastSeq: number } | null>;
}

/** Authorship answers are reused this long at most, ms: names and colours change without an edit. */
const AUTHORSHIP_TTL_MS = 10_000;

export class PadHistory {
  constructor(private readonly deps: PadHistoryDeps) {}

  /** Ensures the pad exists and its history index is current. */
  async ready(padId: string): Promise<void> {
    if (!(await this.deps.padInfo(padId))) throw new ApiError('padNotFound', `No pad named "${padId}".`);
    // Commits in flight belong to the history the caller has seen.
    await this.deps.rooms.commits.drain();
    await this.deps.indexer.catchUp(padId);
  }

  /** Views of authors by author id: each with its public id, never the author id itself. */
  async authorViews(ids: Iterable<string>): Promise<Map<string, HistoryAuthorT>> {
    const unique = Array.from(new Set(ids));
    const [profiles, publicIds] = await Promise.all([this.deps.profiles(unique), this.deps.publicIds(unique)]);
    return new Map(
      unique.map((id) => [
        id,
        {
          id: publicIds.get(id) as string,
          name: profiles.get(id)?.name || (id === 'api' ? 'API' : 'Anonymous'),
          color: profiles.get(id)?.color || '#868e96',
        },
      ]),
    );
  }

  /** Saved revisions with the public id of who saved each. */
  private async publicSaved(saved: SavedRevision[]): Promise<SavedRevisionT[]> {
    const publicIds = await this.deps.publicIds(saved.map((s) => s.author));
    return saved.map((s) => ({ ...s, author: publicIds.get(s.author) as string }));
  }

  /**
   * Which author each Yjs client id of the pad belongs to (the first committed update carrying
   * its structs), with the authors' names and colours: what the browser shades live text by.
   * A pad never written has none.
   */
  async clientAuthors(padId: string): Promise<ClientAuthorsT> {
    if (!(await this.deps.padInfo(padId))) return { clients: {}, authors: [] };
    await this.ready(padId);
    const clients = await this.deps.store.clients(padId);
    const views = await this.authorViews(clients.values());
    return {
      // Public ids only: the author id is the secret in its author's cookie.
      clients: Object.fromEntries(Array.from(clients, ([client, author]) => [String(client), (views.get(author) as HistoryAuthorT).id])),
      authors: Array.from(views.values()),
    };
  }

  async list(padId: string, afterRev: number, limit: number): Promise<RevisionListT> {
    await this.ready(padId);
    const rows = await this.deps.store.listRevisions(padId, afterRev, limit + 1);
    const page = rows.slice(0, limit);
    const authors = await this.authorViews(page.flatMap((r) => r.authors));
    return {
      revisions: page.map((r) => ({
        rev: r.rev,
        time: new Date(r.endTime).toISOString(),
        startTime: new Date(r.startTime).toISOString(),
        authors: r.authors.map((id) => authors.get(id) as HistoryAuthorT),
        updates: r.updates,
        bytes: r.bytes,
        inserted: r.inserted,
        deleted: r.deleted,
      })),
      next: rows.length > limit ? page[page.length - 1].rev : null,
    };
  }

  /** Everything the timeslider needs to open: range, activity per author in `bucketCount` buckets, saved revisions. */
  async timeline(padId: string, bucketCount: number): Promise<TimelineT> {
    await this.ready(padId);
    const first = await this.deps.store.firstRevision(padId);
    const last = await this.deps.store.lastRevision(padId);
    const saved = await this.publicSaved(await this.deps.store.savedRevisions(padId));
    const forkedFrom = await this.deps.store.forkOrigin(padId);
    if (!first || !last) return { firstRev: 0, lastRev: 0, authors: [], buckets: [], saved, forkedFrom };
    const { authorIds, buckets } = await activityBuckets(this.deps.store, padId, first.rev, last.rev, bucketCount);
    const views = await this.authorViews(authorIds);
    const authors = authorIds.map((id) => views.get(id) as HistoryAuthorT);
    return { firstRev: first.rev, lastRev: last.rev, authors, buckets, saved, forkedFrom };
  }

  /**
   * The revisions grouped at pauses of at least `pauseMs` (revision-groups.ts), with the pause
   * lengths of the zoom levels; without `pauseMs`, the coarsest level.
   */
  async revisionGroups(padId: string, pauseMs: number | null): Promise<RevisionGroupsT> {
    await this.ready(padId);
    const rows: Revision[] = [];
    for await (const page of revisionPages(this.deps.store, padId, 0)) rows.push(...page);
    const levels = pauseLevels(pausesBetween(rows));
    const pause = pauseMs ?? levels[0];
    const groups = groupByPauses(rows, pause);
    const views = await this.authorViews(groups.flatMap((g) => g.authors));
    return {
      pauseMs: pause,
      levels,
      groups: groups.map((g) => ({
        ...g,
        startTime: new Date(g.startTime).toISOString(),
        endTime: new Date(g.endTime).toISOString(),
        authors: g.authors.map((id) => views.get(id) as HistoryAuthorT),
      })),
    };
  }

  /** First and last revision numbers (0 and 0 for a pad without revisions). */
  async range(padId: string): Promise<{ firstRev: number; lastRev: number }> {
    await this.ready(padId);
    const first = await this.deps.store.firstRevision(padId);
    const last = await this.deps.store.lastRevision(padId);
    return { firstRev: first?.rev ?? 0, lastRev: last?.rev ?? 0 };
  }

  async revision(padId: string, rev: number): Promise<Revision> {
    const revision = await this.deps.store.revision(padId, rev);
    if (!revision) throw new ApiError('notFound', `Pad "${padId}" has no revision ${rev}.`);
    return revision;
  }

  /** A fresh Y.Doc holding the pad as of `rev`, built here on the loop; the caller destroys it. */
  async revisionDoc(padId: string, rev: number): Promise<Y.Doc> {
    const revision = await this.revision(padId, rev);
    const doc = new Y.Doc();
    await this.deps.indexer.loadInto(doc, padId, revision.lastSeq);
    return doc;
  }

  async content(padId: string, rev: number): Promise<{ revision: Revision; node: PmNode }> {
    await this.ready(padId);
    const revision = await this.revision(padId, rev);
    const body = await this.deps.worker.run(`node:${padId}:${revisionKey(revision)}`, async () => ({
      kind: 'node',
      source: await this.source(padId, revision.lastSeq),
    }));
    // Built through the schema in the worker: valid for it.
    return { revision, node: padSchema().nodeFromJSON(JSON.parse(new TextDecoder().decode(body))) };
  }

  /** ProseMirror JSON of revision `rev` (the timeslider's render data), as a UTF-8 JSON body. */
  async contentJson(padId: string, rev: number): Promise<Uint8Array> {
    await this.ready(padId);
    const revision = await this.revision(padId, rev);
    return this.deps.worker.run(`json:${padId}:${revisionKey(revision)}`, async () => ({
      kind: 'json',
      source: await this.source(padId, revision.lastSeq),
    }));
  }

  /** The bytes that rebuild the pad as of `seq` (on top of a doc at `loadedSeq`, if given). */
  private async source(padId: string, seq: number, loadedSeq = -1): Promise<DocSource> {
    const { keyframe, rows } = await this.deps.indexer.readSource(padId, seq, loadedSeq);
    return packSource(keyframe, rows);
  }

  /** The live document's state, every accepted write applied. */
  private liveSource(padId: string): Promise<DocSource> {
    return this.deps.rooms.use(padId, (room) => packSource(Y.encodeStateAsUpdate(room.currentDoc()), []));
  }

  /**
   * Changes from revision `from` to `to` (or to the live pad when `to` is null), as the UTF-8
   * JSON body `{from, to, changes, blocks}` (`to` "live" for the live pad).
   */
  async diff(padId: string, from: number, to: number | null): Promise<Uint8Array> {
    await this.ready(padId);
    if (to === null) {
      const revision = await this.revision(padId, from);
      const liveSeq = (await this.deps.padInfo(padId))?.lastSeq ?? 0;
      return this.deps.worker.run(`diff:${padId}:${revisionKey(revision)}:live@${liveSeq}`, async () => ({
        kind: 'diff',
        before: await this.source(padId, revision.lastSeq),
        after: await this.liveSource(padId),
        afterOnTop: false,
        reverse: false,
        envelope: { from, to: 'live' },
      }));
    }
    const [a, b] = await Promise.all([this.revision(padId, from), this.revision(padId, to)]);
    const [first, second] = a.rev <= b.rev ? [a, b] : [b, a];
    // The later revision is built on the earlier one's document: only the rows between are read.
    return this.deps.worker.run(`diff:${padId}:${revisionKey(a)}:${revisionKey(b)}`, async () => ({
      kind: 'diff',
      before: await this.source(padId, first.lastSeq),
      after: await this.source(padId, second.lastSeq, first.lastSeq),
      afterOnTop: true,
      reverse: a.rev > b.rev,
      envelope: { from, to },
    }));
  }

  /** Makes the live content equal to revision `rev`, as one new write by `author`; returns the new last revision. */
  async restore(padId: string, rev: number, author: string): Promise<Revision> {
    const { node } = await this.content(padId, rev);
    await this.deps.rooms.use(padId, async (room) => {
      const scratch = new Y.Doc();
      try {
        Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.currentDoc()));
        const before = Y.encodeStateVector(scratch);
        // Rewrites only what differs, so unchanged text keeps its authors.
        updateYFragment(scratch, scratch.getXmlFragment('default'), node, { mapping: new Map(), isOMark: new Map() } as never);
        const update = Y.encodeStateAsUpdate(scratch, before);
        await room.applyApiUpdate(update, author);
      } finally {
        scratch.destroy();
      }
    });
    await this.deps.indexer.catchUp(padId);
    return (await this.deps.store.lastRevision(padId)) as Revision;
  }

  /** Creates `newPadId` with the content of `padId` at `rev`, linked back to it. */
  async fork(padId: string, rev: number, newPadId: string, author: string): Promise<ForkOriginT> {
    if (newPadId === padId) throw new ApiError('conflict', 'A pad cannot be forked onto itself.');
    const { node } = await this.content(padId, rev);
    const target = await this.deps.padInfo(newPadId);
    if (target && target.lastSeq > 0) throw new ApiError('conflict', `A pad named "${newPadId}" already has content.`);
    const origin: ForkOrigin = { padId, rev, createdAt: Date.now() };
    await this.deps.rooms.use(newPadId, async (room) => {
      if (room.currentDoc().getXmlFragment('default').length > 0 || room.progress.lastSeq > 0) {
        throw new ApiError('conflict', `A pad named "${newPadId}" already has content.`);
      }
      const scratch = new Y.Doc();
      try {
        prosemirrorJSONToYXmlFragment(padSchema(), node.toJSON(), scratch.getXmlFragment('default'));
        await room.applyApiUpdate(Y.encodeStateAsUpdate(scratch), author);
      } finally {
        scratch.destroy();
      }
    });
    await this.deps.store.saveFork(newPadId, origin);
    return origin;
  }

  /**
   * Who wrote each part of the live text, as the UTF-8 JSON body `{spans, authors, clients}`.
   * Cached while the pad is unchanged, and for a few seconds at most (names change without an edit).
   */
  async authorship(padId: string): Promise<Uint8Array> {
    await this.ready(padId);
    const clients = await this.deps.store.clients(padId);
    const liveSeq = (await this.deps.padInfo(padId))?.lastSeq ?? 0;
    return this.deps.worker.run(
      `authorship:${padId}:${liveSeq}:${clients.size}`,
      async () => {
        const views = await this.authorViews(clients.values());
        const shown = Array.from(clients, ([client, author]): [number, string] => [client, (views.get(author) as HistoryAuthorT).id]);
        return {
          kind: 'authorship',
          source: await this.liveSource(padId),
          clients: shown,
          envelope: { authors: Array.from(views.values()), clients: Object.fromEntries(shown.map(([client, id]) => [String(client), id])) },
        };
      },
      AUTHORSHIP_TTL_MS,
    );
  }

  async saveRevision(padId: string, rev: number | null, label: string, author: string): Promise<SavedRevisionT> {
    await this.ready(padId);
    // Under the indexer's lock: no edit joins the revision between choosing and saving it, and
    // once saved, none does (history-indexer.ts).
    const stored = await this.deps.indexer.exclusive(padId, async () => {
      const target = rev === null ? await this.deps.store.lastRevision(padId) : await this.revision(padId, rev);
      if (!target) throw new ApiError('conflict', 'The pad has no revisions to save yet.');
      return this.deps.store.saveRevision(padId, target.rev, label, author);
    });
    const [saved] = await this.publicSaved([stored]);
    return saved;
  }

  async savedRevisions(padId: string): Promise<SavedRevisionT[]> {
    await this.ready(padId);
    return this.publicSaved(await this.deps.store.savedRevisions(padId));
  }

  /**
   * Squashes every revision that ended before `before` (Unix ms; never the last revision) into
   * one keyframe, deleting their log rows. Later revisions keep their numbers and content.
   */
  async compact(padId: string, before: number): Promise<CompactResultT> {
    await this.ready(padId);
    return this.deps.indexer.exclusive(padId, () => squashRevisionsBefore(this.deps.store, this.deps.indexer, padId, before));
  }
}

/** A revision as stored: compaction or a pad deleted and typed again gives the same number other bounds. */
function revisionKey(r: Revision): string {
  return `${r.rev}/${r.firstSeq}-${r.lastSeq}`;
}
