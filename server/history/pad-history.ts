/**
 * A pad's history as the API and the timeslider see it: revisions with author profiles, the
 * content of any revision, diffs, authorship of the live text, and the writes that build on
 * history (restore, fork, saved revisions, admin compaction). Content is rebuilt from the
 * stored log and keyframes, never from the live document's (garbage-collected) history.
 */
import type { Node as PmNode } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment, updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { ApiError } from '../errors.js';
import type { Rooms } from '../sync/rooms.js';
import type { AuthorProfile } from '../sync/types.js';
import { authorSpans, type AuthorSpan } from './authorship.js';
import type { HistoryIndexer } from './history-indexer.js';
import { groupByPauses, pauseLevels, pausesBetween, type RevisionGroup } from './revision-groups.js';
import { docJson, docNode, nodeText, padSchema } from './revision-content.js';
import { diffBlocks, diffText, type DiffPart } from './text-diff.js';
import type { ForkOrigin, HistoryStore, Revision, SavedRevision } from './types.js';

export interface AuthorView {
  id: string;
  name: string;
  color: string;
}

export interface RevisionGroupView extends Omit<RevisionGroup, 'authors' | 'startTime' | 'endTime'> {
  startTime: string;
  endTime: string;
  authors: AuthorView[];
}

export interface RevisionView {
  rev: number;
  /** ISO time of the revision's last update. */
  time: string;
  startTime: string;
  authors: AuthorView[];
  updates: number;
  bytes: number;
  inserted: number;
  deleted: number;
}

export interface TimelineBucket {
  firstRev: number;
  lastRev: number;
  /** Unix ms of the bucket's last revision. */
  time: number;
  /** Changed characters per author, indexed like `Timeline.authors`. */
  changes: number[];
}

export interface Timeline {
  firstRev: number;
  lastRev: number;
  authors: AuthorView[];
  buckets: TimelineBucket[];
  saved: SavedRevision[];
  forkedFrom: ForkOrigin | null;
}

export interface PadHistoryDeps {
  store: HistoryStore;
  indexer: HistoryIndexer;
  rooms: Rooms;
  /** Latest known name and colour of authors. */
  profiles(ids: readonly string[]): Promise<Map<string, AuthorProfile>>;
  /** The pad's record, or null if it was never created. */
  padInfo(padId: string): Promise<{ lastSeq: number } | null>;
}

const PAGE = 10_000;

export class PadHistory {
  constructor(private readonly deps: PadHistoryDeps) {}

  /** Ensures the pad exists and its history index is current. */
  async ready(padId: string): Promise<void> {
    if (!(await this.deps.padInfo(padId))) throw new ApiError('padNotFound', `No pad named "${padId}".`);
    // Commits in flight belong to the history the caller has seen.
    await this.deps.rooms.commits.drain();
    await this.deps.indexer.catchUp(padId);
  }

  async authorViews(ids: Iterable<string>): Promise<Map<string, AuthorView>> {
    const unique = Array.from(new Set(ids));
    const profiles = await this.deps.profiles(unique);
    return new Map(unique.map((id) => [id, { id, name: profiles.get(id)?.name || (id === 'api' ? 'API' : 'Anonymous'), color: profiles.get(id)?.color || '#868e96' }]));
  }

  /**
   * Which author each Yjs client id of the pad belongs to (the first committed update carrying
   * its structs), with the authors' names and colours: what the browser shades live text by.
   * A pad never written has none.
   */
  async clientAuthors(padId: string): Promise<{ clients: Record<string, string>; authors: AuthorView[] }> {
    if (!(await this.deps.padInfo(padId))) return { clients: {}, authors: [] };
    await this.ready(padId);
    const clients = await this.deps.store.clients(padId);
    const views = await this.authorViews(clients.values());
    return {
      clients: Object.fromEntries(Array.from(clients, ([client, author]) => [String(client), author])),
      authors: Array.from(views.values()),
    };
  }

  async list(padId: string, afterRev: number, limit: number): Promise<{ revisions: RevisionView[]; next: number | null }> {
    await this.ready(padId);
    const rows = await this.deps.store.listRevisions(padId, afterRev, limit + 1);
    const page = rows.slice(0, limit);
    const authors = await this.authorViews(page.flatMap((r) => r.authors));
    return {
      revisions: page.map((r) => ({
        rev: r.rev,
        time: new Date(r.endTime).toISOString(),
        startTime: new Date(r.startTime).toISOString(),
        authors: r.authors.map((id) => authors.get(id) as AuthorView),
        updates: r.updates,
        bytes: r.bytes,
        inserted: r.inserted,
        deleted: r.deleted,
      })),
      next: rows.length > limit ? page[page.length - 1].rev : null,
    };
  }

  /** Everything the timeslider needs to open: range, activity per author in `bucketCount` buckets, saved revisions. */
  async timeline(padId: string, bucketCount: number): Promise<Timeline> {
    await this.ready(padId);
    const first = await this.deps.store.firstRevision(padId);
    const last = await this.deps.store.lastRevision(padId);
    const saved = await this.deps.store.savedRevisions(padId);
    const forkedFrom = await this.deps.store.forkOrigin(padId);
    if (!first || !last) return { firstRev: 0, lastRev: 0, authors: [], buckets: [], saved, forkedFrom };
    const span = last.rev - first.rev + 1;
    const perBucket = Math.max(1, Math.ceil(span / bucketCount));
    const authorIndex = new Map<string, number>();
    const buckets: TimelineBucket[] = [];
    for (let after = first.rev - 1; ; ) {
      const rows = await this.deps.store.listRevisions(padId, after, PAGE);
      for (const r of rows) {
        const b = Math.floor((r.rev - first.rev) / perBucket);
        let bucket = buckets[b];
        if (!bucket) bucket = buckets[b] = { firstRev: r.rev, lastRev: r.rev, time: r.endTime, changes: [] };
        bucket.lastRev = r.rev;
        bucket.time = r.endTime;
        for (const id of r.authors) {
          let i = authorIndex.get(id);
          if (i === undefined) authorIndex.set(id, (i = authorIndex.size));
          bucket.changes[i] = (bucket.changes[i] ?? 0) + Math.max(1, r.inserted + r.deleted);
        }
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].rev;
    }
    const views = await this.authorViews(authorIndex.keys());
    const authors = Array.from(authorIndex.keys(), (id) => views.get(id) as AuthorView);
    for (const bucket of buckets) for (let i = 0; i < authors.length; i += 1) bucket.changes[i] ??= 0;
    return { firstRev: first.rev, lastRev: last.rev, authors, buckets: buckets.filter(Boolean), saved, forkedFrom };
  }

  /**
   * The revisions grouped at pauses of at least `pauseMs` (revision-groups.ts), with the pause
   * lengths of the zoom levels; without `pauseMs`, the coarsest level.
   */
  async revisionGroups(padId: string, pauseMs: number | null): Promise<{ pauseMs: number; levels: number[]; groups: RevisionGroupView[] }> {
    await this.ready(padId);
    const rows: Revision[] = [];
    for (let after = 0; ; ) {
      const page = await this.deps.store.listRevisions(padId, after, PAGE);
      rows.push(...page);
      if (page.length < PAGE) break;
      after = page[page.length - 1].rev;
    }
    const levels = pauseLevels(pausesBetween(rows));
    const pause = pauseMs ?? levels[0];
    const groups = groupByPauses(rows, pause);
    const views = await this.authorViews(groups.flatMap((g) => g.authors));
    return {
      pauseMs: pause,
      levels,
      groups: groups.map((g) => ({ ...g, startTime: new Date(g.startTime).toISOString(), endTime: new Date(g.endTime).toISOString(), authors: g.authors.map((id) => views.get(id) as AuthorView) })),
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

  /** A fresh Y.Doc holding the pad as of `rev`; the caller destroys it. */
  async revisionDoc(padId: string, rev: number): Promise<Y.Doc> {
    const revision = await this.revision(padId, rev);
    const doc = new Y.Doc();
    await this.deps.indexer.loadInto(doc, padId, revision.lastSeq);
    return doc;
  }

  async content(padId: string, rev: number): Promise<{ revision: Revision; node: PmNode }> {
    await this.ready(padId);
    const revision = await this.revision(padId, rev);
    const doc = await this.revisionDoc(padId, rev);
    try {
      return { revision, node: docNode(doc) };
    } finally {
      doc.destroy();
    }
  }

  /** ProseMirror JSON of revision `rev` (the timeslider's render data). */
  async contentJson(padId: string, rev: number): Promise<Record<string, unknown>> {
    await this.ready(padId);
    const doc = await this.revisionDoc(padId, rev);
    try {
      return docJson(doc);
    } finally {
      doc.destroy();
    }
  }

  /** Text of revision `rev`, or of the live pad when `rev` is null. */
  private async text(padId: string, rev: number | null): Promise<string> {
    if (rev === null) return this.deps.rooms.use(padId, (room) => nodeText(docNode(room.doc)));
    const doc = await this.revisionDoc(padId, rev);
    try {
      return nodeText(docNode(doc));
    } finally {
      doc.destroy();
    }
  }

  /** Texts of revisions `from` and `to`; the later one is built on the earlier one's doc when that is cheaper. */
  private async texts(padId: string, from: number, to: number): Promise<[string, string]> {
    const [first, second] = await Promise.all([this.revision(padId, Math.min(from, to)), this.revision(padId, Math.max(from, to))]);
    const doc = new Y.Doc();
    try {
      await this.deps.indexer.loadInto(doc, padId, first.lastSeq);
      const earlier = nodeText(docNode(doc));
      await this.deps.indexer.loadInto(doc, padId, second.lastSeq, first.lastSeq);
      const later = nodeText(docNode(doc));
      return from <= to ? [earlier, later] : [later, earlier];
    } finally {
      doc.destroy();
    }
  }

  /** Changes from `from` to `to` (a revision, or null for the live pad). */
  async diff(padId: string, from: number, to: number | null): Promise<{ changes: DiffPart[]; blocks: DiffPart[] }> {
    await this.ready(padId);
    const [before, after] = to === null ? [await this.text(padId, from), await this.text(padId, null)] : await this.texts(padId, from, to);
    const blocks = diffBlocks(before, after);
    return { changes: diffText(before, after, blocks), blocks };
  }

  /** Makes the live content equal to revision `rev`, as one new write by `author`; returns the new last revision. */
  async restore(padId: string, rev: number, author: string): Promise<Revision> {
    const { node } = await this.content(padId, rev);
    await this.deps.rooms.use(padId, async (room) => {
      const scratch = new Y.Doc();
      try {
        Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.doc));
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
  async fork(padId: string, rev: number, newPadId: string, author: string): Promise<ForkOrigin> {
    if (newPadId === padId) throw new ApiError('conflict', 'A pad cannot be forked onto itself.');
    const { node } = await this.content(padId, rev);
    const target = await this.deps.padInfo(newPadId);
    if (target && target.lastSeq > 0) throw new ApiError('conflict', `A pad named "${newPadId}" already has content.`);
    const origin: ForkOrigin = { padId, rev, createdAt: Date.now() };
    await this.deps.rooms.use(newPadId, async (room) => {
      if (room.doc.getXmlFragment('default').length > 0 || room.lastSeq > 0) {
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

  async authorship(padId: string): Promise<{ spans: AuthorSpan[]; authors: AuthorView[]; clients: Record<string, string> }> {
    await this.ready(padId);
    const clients = await this.deps.store.clients(padId);
    const spans = await this.deps.rooms.use(padId, (room) => authorSpans(room.doc.getXmlFragment('default'), clients));
    const views = await this.authorViews(clients.values());
    return {
      spans,
      authors: Array.from(views.values()),
      clients: Object.fromEntries(Array.from(clients, ([client, author]) => [String(client), author])),
    };
  }

  async saveRevision(padId: string, rev: number | null, label: string, author: string): Promise<SavedRevision> {
    await this.ready(padId);
    const target = rev === null ? await this.deps.store.lastRevision(padId) : await this.revision(padId, rev);
    if (!target) throw new ApiError('conflict', 'The pad has no revisions to save yet.');
    return this.deps.store.saveRevision(padId, target.rev, label, author);
  }

  async savedRevisions(padId: string): Promise<SavedRevision[]> {
    await this.ready(padId);
    return this.deps.store.savedRevisions(padId);
  }

  /**
   * Squashes every revision that ended before `before` (Unix ms; never the last revision) into
   * one keyframe, deleting their log rows. Later revisions keep their numbers and content.
   */
  async compact(padId: string, before: number): Promise<{ squashedInto: number | null; removedRevisions: number }> {
    await this.ready(padId);
    return this.deps.indexer.exclusive(padId, async () => {
      const first = await this.deps.store.firstRevision(padId);
      const last = await this.deps.store.lastRevision(padId);
      if (!first || !last) return { squashedInto: null, removedRevisions: 0 };
      const older: Revision[] = [];
      for (let after = first.rev - 1; ; ) {
        const rows = await this.deps.store.listRevisions(padId, after, PAGE);
        const take = rows.filter((r) => r.endTime < before && r.rev < last.rev);
        older.push(...take);
        if (take.length < rows.length || rows.length < PAGE) break;
        after = rows[rows.length - 1].rev;
      }
      if (older.length < 2) return { squashedInto: null, removedRevisions: 0 };
      const end = older[older.length - 1];
      const doc = new Y.Doc();
      try {
        await this.deps.indexer.loadInto(doc, padId, end.lastSeq);
        const squashed: Revision = {
          rev: end.rev,
          firstSeq: first.firstSeq,
          lastSeq: end.lastSeq,
          startTime: first.startTime,
          endTime: end.endTime,
          authors: Array.from(new Set(older.flatMap((r) => r.authors))),
          updates: older.reduce((n, r) => n + r.updates, 0),
          bytes: older.reduce((n, r) => n + r.bytes, 0),
          inserted: older.reduce((n, r) => n + r.inserted, 0),
          deleted: older.reduce((n, r) => n + r.deleted, 0),
        };
        await this.deps.store.squashBefore(padId, squashed, { seq: end.lastSeq, rev: end.rev, data: Y.encodeStateAsUpdate(doc) });
        const cursor = await this.deps.store.cursor(padId);
        if (cursor.builtRev < end.rev) await this.deps.store.setBuiltRev(padId, end.rev);
      } finally {
        doc.destroy();
      }
      return { squashedInto: end.rev, removedRevisions: older.length - 1 };
    });
  }
}
