/**
 * Access on the HTTP side, in one place for every route:
 * - every write under `/api/v1/pads/<padId>` (PUT, POST, PATCH, DELETE) needs the pad's edit
 *   key when its pad, team or event has one (`X-Edit-Key` header or `?token=`), or the admin
 *   token; viewers get 403;
 * - exports and metadata answer for a read-only id (`r.…`) without ever showing the pad id
 *   (the export routes name the pad by `readOnlyIdOfRequest`; the content is what viewers see live);
 * - admins set and clear edit keys.
 */
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { normalizePadId } from '../../common/pad-id.js';
import type { AccessPolicy } from '../access/access-policy.js';
import { MAX_EDIT_KEY_LENGTH, eventScope, hashEditKey, padScope, teamScope } from '../access/edit-keys.js';
import { normalizeReadOnlyId } from '../access/read-only-id.js';
import { ApiError } from '../errors.js';
import type { PadStore } from '../store/pad-store.js';
import { assertAdmin, isAdmin } from './admin-auth.js';

const WRITE_METHODS = new Set(['PUT', 'POST', 'PATCH', 'DELETE']);
const READ_ONLY_EXPORT = /^\/api\/v1\/pads\/(r\.[A-Za-z2-7]{26})\/(export\.(?:md|html|txt))(\?.*)?$/;

/** Requests that came in under a read-only id, with the ids to swap back in the response. */
const viaReadOnly = new WeakMap<IncomingMessage, { readOnlyId: string }>();

/**
 * For Fastify's `rewriteUrl`: serves `/api/v1/pads/r.…/export.*` from the pad's export route.
 * Synchronous by Fastify's contract, hence the direct lookup; when it cannot answer without a
 * query (undefined), the request goes to `read-only-resolver.ts`, which looks the id up and
 * replays it.
 */
export function readOnlyRewriter(lookup: (readOnlyId: string) => string | null | undefined): (req: IncomingMessage) => string {
  return (req) => {
    const url = req.url ?? '/';
    const match = READ_ONLY_EXPORT.exec(url);
    if (!match) return url;
    const readOnlyId = normalizeReadOnlyId(match[1]);
    const padId = readOnlyId ? lookup(readOnlyId) : null;
    if (readOnlyId && padId === undefined) return `/api/v1/-read-only/${readOnlyId}/${match[2]}${match[3] ?? ''}`;
    if (!readOnlyId || !padId) return '/api/v1/pads/-unknown-read-only-id';
    viaReadOnly.set(req, { readOnlyId });
    return `/api/v1/pads/${padId}/${match[2]}${match[3] ?? ''}`;
  };
}

export function editKeyOf(req: FastifyRequest): string | null {
  const header = req.headers['x-edit-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  const query = req.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' && query.token.length > 0 ? query.token : null;
}

export interface AccessApiOptions {
  policy: AccessPolicy;
  store: PadStore;
  adminToken: string | null;
}

const KeyBody = Type.Object({ key: Type.String({ minLength: 4, maxLength: MAX_EDIT_KEY_LENGTH }) }, { additionalProperties: false });

/** Hooks for the whole server; register without a prefix, before the routes. */
export async function accessHooks(app: FastifyInstance, options: AccessApiOptions): Promise<void> {
  app.addHook('preHandler', async (req) => {
    if (!WRITE_METHODS.has(req.method)) return;
    const route = req.routeOptions.url ?? '';
    if (!route.startsWith('/api/v1/pads/:padId')) return;
    if (isAdmin(req, options.adminToken)) return;
    const params = req.params as { padId?: string };
    const body = req.body as { newPadId?: unknown } | undefined;
    const targets = [params.padId, typeof body?.newPadId === 'string' ? body.newPadId : undefined];
    for (const raw of targets) {
      const padId = raw === undefined ? null : normalizePadId(raw);
      if (padId && !(await options.policy.canWrite(padId, editKeyOf(req)))) {
        throw new ApiError('forbidden', `Pad "${padId}" needs its edit key to make changes (send it as the X-Edit-Key header).`);
      }
    }
  });
}

/**
 * The read-only id a request came in under (an export at `/api/v1/pads/r.…/export.*`), or
 * null: such an export names the pad by that id (HTML title, file name), never by its pad id.
 */
export function readOnlyIdOfRequest(req: FastifyRequest): string | null {
  return viaReadOnly.get(req.raw)?.readOnlyId ?? null;
}

/** Admin routes for edit keys; register with prefix /api/v1. */
export async function accessApi(app: FastifyInstance, options: AccessApiOptions): Promise<void> {
  const setKey = (scope: string) => async (req: FastifyRequest<{ Body: { key: string } }>, reply: import('fastify').FastifyReply) => {
    assertAdmin(req, reply, options.adminToken);
    await options.store.setEditKeyHash(scope, hashEditKey(req.body.key));
    return reply.status(204).send();
  };
  const clearKey = (scope: string) => async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    assertAdmin(req, reply, options.adminToken);
    await options.store.setEditKeyHash(scope, null);
    return reply.status(204).send();
  };
  const padIdOf = (raw: string) => {
    const padId = normalizePadId(raw);
    if (!padId) throw new ApiError('invalidPadId', 'Not a valid pad id.');
    return padId;
  };
  const slugOf = (raw: string) => {
    if (!/^[a-z0-9][a-z0-9_-]{0,59}$/.test(raw)) throw new ApiError('badRequest', 'Not a valid slug.');
    return raw;
  };
  const tags = ['access'];
  app.put<{ Params: { padId: string }; Body: { key: string } }>(
    '/pads/:padId/edit-key',
    { schema: { tags, summary: 'Require an edit key to write to this pad (admin)', body: KeyBody } },
    (req, reply) => setKey(padScope(padIdOf(req.params.padId)))(req, reply),
  );
  app.delete<{ Params: { padId: string } }>(
    '/pads/:padId/edit-key',
    { schema: { tags, summary: "Remove the pad's own edit key (admin)" } },
    (req, reply) => clearKey(padScope(padIdOf(req.params.padId)))(req, reply),
  );
  app.put<{ Params: { event: string; team: string }; Body: { key: string } }>(
    '/events/:event/teams/:team/edit-key',
    { schema: { tags, summary: "Require an edit key to write to the team's pads (admin)", body: KeyBody } },
    (req, reply) => setKey(teamScope(slugOf(req.params.event), slugOf(req.params.team)))(req, reply),
  );
  app.delete<{ Params: { event: string; team: string } }>(
    '/events/:event/teams/:team/edit-key',
    { schema: { tags, summary: "Remove the team's edit key (admin)" } },
    (req, reply) => clearKey(teamScope(slugOf(req.params.event), slugOf(req.params.team)))(req, reply),
  );
  app.put<{ Params: { event: string }; Body: { key: string } }>(
    '/events/:event/edit-key',
    { schema: { tags, summary: "Require an edit key to write to every pad of the event's teams (admin)", body: KeyBody } },
    (req, reply) => setKey(eventScope(slugOf(req.params.event)))(req, reply),
  );
  app.delete<{ Params: { event: string } }>(
    '/events/:event/edit-key',
    { schema: { tags, summary: "Remove the event's edit key (admin)" } },
    (req, reply) => clearKey(eventScope(slugOf(req.params.event)))(req, reply),
  );
}
