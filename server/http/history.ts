/**
 * `/api/v1/pads/<padId>/...` history routes: the revision list and timeline, any revision's
 * content (markdown, text, ProseMirror JSON), diffs, authorship, restore, fork, saved
 * revisions, and admin compaction. Writes are attributed to the caller's author cookie, or to
 * `api` for callers without one.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { padToHtmlDocument } from '../../common/markdown/pad-html.js';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import { padToPlainText } from '../../common/markdown/pad-text.js';
import {
  Authorship,
  ClientAuthors,
  CompactRequest,
  CompactResult,
  ForkRequest,
  ForkResult,
  HistoryPadId,
  RestoreResult,
  Rev,
  RevisionDiff,
  RevisionGroups,
  RevisionList,
  RevisionView,
  SavedRevision,
  SavedRevisionList,
  SaveRevisionRequest,
  Timeline,
} from '../../common/history-schemas.js';
import { normalizeReadOnlyId } from '../access/read-only-id.js';
import { ApiError } from '../errors.js';
import type { PadHistory } from '../history/pad-history.js';
import { adminOnly } from './admin-auth.js';
import { adminSecurity, errors } from './api-schemas.js';
import { authorFromCookieHeader } from './author-cookie.js';
import { sendExport, type ExportFormat } from './export-reply.js';
import { padIdParam } from './pads.js';

export interface HistoryApiOptions {
  history: PadHistory;
  adminToken: string | null;
  /** The pad id behind a read-only id, or null: read-only views shade authors too. */
  resolveReadOnlyId(readOnlyId: string): Promise<string | null>;
}

const PadParams = Type.Object({ padId: HistoryPadId });
const RevParams = Type.Object({ padId: HistoryPadId, rev: Rev });

const tags = ['history'];
const SMALL_BODY = 16 * 1024;

/**
 * Sends a body serialized in the history worker as it is (the route's schema documents it): on a
 * large pad, serializing forty diffs here was what still stalled the loop.
 */
function sendJsonBody(reply: FastifyReply, body: Uint8Array): FastifyReply {
  return reply.header('content-type', 'application/json; charset=utf-8').send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

function callerAuthor(req: FastifyRequest): string {
  return authorFromCookieHeader(req.headers.cookie) ?? 'api';
}

const EXPORTS = {
  md: { type: 'text/markdown; charset=utf-8', summary: 'Markdown' },
  html: { type: 'text/html; charset=utf-8', summary: 'an HTML document' },
  txt: { type: 'text/plain; charset=utf-8', summary: 'plain text' },
  json: { type: 'application/json; charset=utf-8', summary: 'ProseMirror JSON (the pad schema)' },
} as const;

export async function historyApi(fastify: FastifyInstance, options: HistoryApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { history } = options;

  app.get(
    '/pads/:padId/revisions',
    {
      schema: {
        tags,
        summary: 'Revisions, oldest first; page on with ?after=<next>',
        params: PadParams,
        querystring: Type.Object({
          after: Type.Optional(Type.Integer({ minimum: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
        }),
        response: {
          200: RevisionList,
          ...errors(400, 404),
        },
      },
    },
    async (req) => history.list(padIdParam(req.params.padId), req.query.after ?? 0, req.query.limit ?? 1000),
  );

  app.get(
    '/pads/:padId/revisions/:rev',
    {
      schema: { tags, summary: 'One revision', params: RevParams, response: { 200: RevisionView, ...errors(400, 404) } },
    },
    async (req) => {
      const padId = padIdParam(req.params.padId);
      const page = await history.list(padId, req.params.rev - 1, 1);
      const revision = page.revisions[0];
      if (!revision || revision.rev !== req.params.rev) throw new ApiError('notFound', `Pad "${padId}" has no revision ${req.params.rev}.`);
      return revision;
    },
  );

  app.get(
    '/pads/:padId/timeline',
    {
      schema: {
        tags,
        summary: 'What the timeslider opens with: revision range, activity per author in buckets, saved revisions',
        params: PadParams,
        querystring: Type.Object({ buckets: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 })) }),
        response: {
          200: Timeline,
          ...errors(400, 404),
        },
      },
    },
    async (req) => history.timeline(padIdParam(req.params.padId), req.query.buckets ?? 200),
  );

  app.get(
    '/pads/:padId/revision-groups',
    {
      schema: {
        tags,
        summary:
          "Revisions grouped at pauses of at least ?pause=<ms> (default: the coarsest zoom level); levels are the zoom levels' pauses, coarsest first, 0 for single revisions",
        params: PadParams,
        querystring: Type.Object({ pause: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 * 24 * 3600 * 1000 })) }),
        response: {
          200: RevisionGroups,
          ...errors(400, 404),
        },
      },
    },
    async (req) => history.revisionGroups(padIdParam(req.params.padId), req.query.pause ?? null),
  );

  for (const [ext, info] of Object.entries(EXPORTS)) {
    app.get(
      `/pads/:padId/revisions/:rev/export.${ext}`,
      {
        schema: {
          tags,
          summary: `The content as of a revision, as ${info.summary}`,
          params: RevParams,
          response: { 200: Type.Unknown({ description: info.type }), ...errors(400, 404) },
        },
      },
      async (req, reply) => {
        const padId = padIdParam(req.params.padId);
        if (ext === 'json') return sendJsonBody(reply, await history.contentJson(padId, req.params.rev));
        const { node } = await history.content(padId, req.params.rev);
        const json = node.toJSON() as Record<string, unknown>;
        const body =
          ext === 'txt'
            ? padToPlainText(json)
            : ext === 'html'
              ? padToHtmlDocument(json, `${padId} (revision ${req.params.rev})`)
              : padMarkdown().serialize(node);
        return sendExport(reply, ext as ExportFormat, body, null);
      },
    );
  }

  app.get(
    '/pads/:padId/diff',
    {
      schema: {
        tags,
        summary: 'Changes between two revisions (default: the last against the one before; to=live compares with the live pad)',
        params: PadParams,
        querystring: Type.Object({ from: Type.Optional(Rev), to: Type.Optional(Type.Union([Rev, Type.Literal('live')])) }),
        response: {
          200: RevisionDiff,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => {
      const padId = padIdParam(req.params.padId);
      const timeline = await history.range(padId);
      if (timeline.lastRev === 0) throw new ApiError('notFound', `Pad "${padId}" has no revisions yet.`);
      const to = req.query.to ?? timeline.lastRev;
      const from = req.query.from ?? Math.max(timeline.firstRev, (to === 'live' ? timeline.lastRev : to) - 1);
      if (to !== 'live') await history.revision(padId, to);
      await history.revision(padId, from);
      return sendJsonBody(reply, await history.diff(padId, from, to === 'live' ? null : to));
    },
  );

  app.get(
    '/pads/:padId/authorship',
    {
      schema: {
        tags,
        summary: 'Who wrote each part of the current text (spans in order; blocks separated by "\\n" spans with author null)',
        params: PadParams,
        response: {
          200: Authorship,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => sendJsonBody(reply, await history.authorship(padIdParam(req.params.padId))),
  );

  app.get(
    '/pads/:padId/authors',
    {
      schema: {
        tags,
        summary: 'Yjs client id -> author, with names and colours: how the pad page shades live text by author (also under a read-only id)',
        params: PadParams,
        response: {
          200: ClientAuthors,
          ...errors(400, 404),
        },
      },
    },
    async (req) => {
      const readOnlyId = normalizeReadOnlyId(req.params.padId);
      const padId = readOnlyId ? await options.resolveReadOnlyId(readOnlyId) : padIdParam(req.params.padId);
      if (!padId) throw new ApiError('padNotFound', 'This read-only link does not lead to a pad.');
      return history.clientAuthors(padId);
    },
  );

  app.post(
    '/pads/:padId/revisions/:rev/restore',
    {
      schema: {
        tags,
        summary: 'Make the current content equal to a revision, as one new revision on top (nothing is lost)',
        params: RevParams,
        response: { 200: RestoreResult, ...errors(400, 404) },
      },
    },
    async (req) => {
      const latest = await history.restore(padIdParam(req.params.padId), req.params.rev, callerAuthor(req));
      return { restored: req.params.rev, rev: latest.rev };
    },
  );

  app.post(
    '/pads/:padId/revisions/:rev/fork',
    {
      bodyLimit: SMALL_BODY,
      schema: {
        tags,
        summary: 'Create a new pad from a revision, linked back to it; 409 if the new pad has content',
        params: RevParams,
        body: ForkRequest,
        response: { 201: ForkResult, ...errors(400, 404, 409, 413) },
      },
    },
    async (req, reply) => {
      const padId = padIdParam(req.params.padId);
      const newPadId = padIdParam(req.body.newPadId);
      const origin = await history.fork(padId, req.params.rev, newPadId, callerAuthor(req));
      return reply.status(201).send({ padId: newPadId, forkedFrom: origin });
    },
  );

  app.get(
    '/pads/:padId/saved-revisions',
    {
      schema: {
        tags,
        summary: 'Saved (starred) revisions',
        params: PadParams,
        response: { 200: SavedRevisionList, ...errors(400, 404) },
      },
    },
    async (req) => ({ saved: await history.savedRevisions(padIdParam(req.params.padId)) }),
  );

  app.post(
    '/pads/:padId/saved-revisions',
    {
      bodyLimit: SMALL_BODY,
      schema: {
        tags,
        summary: 'Save (star) a revision with a label; without rev, the latest',
        params: PadParams,
        body: SaveRevisionRequest,
        response: { 201: SavedRevision, ...errors(400, 404, 409, 413) },
      },
    },
    async (req, reply) => {
      const label = req.body.label.trim();
      if (!label) throw new ApiError('badRequest', 'A saved revision needs a label.');
      const saved = await history.saveRevision(padIdParam(req.params.padId), req.body.rev ?? null, label, callerAuthor(req));
      return reply.status(201).send(saved);
    },
  );

  app.post(
    '/pads/:padId/compact',
    {
      bodyLimit: SMALL_BODY,
      onRequest: adminOnly(options.adminToken),
      schema: {
        tags,
        summary: 'Squash history older than a date into one revision (admin); later revisions stay as they are',
        security: adminSecurity,
        params: PadParams,
        body: CompactRequest,
        response: { 200: CompactResult, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const before = Date.parse(req.body.before);
      if (Number.isNaN(before)) throw new ApiError('badRequest', '"before" must be an ISO date and time.');
      return history.compact(padIdParam(req.params.padId), before);
    },
  );
}
