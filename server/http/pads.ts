/** `/api/v1/pads`: pad metadata, and the admin's reset of a pad filled to its size cap. */
import type { FastifyInstance } from 'fastify';
import { normalizePadId } from '../../common/pad-id.js';
import { normalizeReadOnlyId } from '../access/read-only-id.js';
import { ApiError } from '../errors.js';
import type { PadStore } from '../store/pad-store.js';
import { padResetUpdate, type ResetScope } from '../sync/pad-reset.js';
import type { Rooms } from '../sync/rooms.js';
import { adminOnly } from './admin-auth.js';
import { adminSecurity, errors } from './api-schemas.js';

export interface PadsOptions {
  store: PadStore;
  rooms: Rooms;
  adminToken: string | null;
  /**
   * What a read-only view may say about its pad: its title (set on the event page) and the
   * names (never the slugs, which spell the pad id) of its event and team.
   */
  label?(padId: string): Promise<PadLabel>;
}

export interface PadLabel {
  title: string | null;
  event: string | null;
  team: string | null;
}

export function padIdParam(raw: string): string {
  const padId = normalizePadId(raw);
  if (!padId) throw new ApiError('invalidPadId', `"${raw.slice(0, 120)}" is not a valid pad id.`);
  return padId;
}

export async function padsPlugin(app: FastifyInstance, options: PadsOptions): Promise<void> {
  app.get<{ Params: { padId: string } }>(
    '/pads/:padId',
    {
      schema: {
        params: { type: 'object', properties: { padId: { type: 'string', maxLength: 300 } }, required: ['padId'] },
      },
    },
    async (req) => {
      // A read-only id answers without the pad id, which it must never lead to.
      const readOnlyId = normalizeReadOnlyId(req.params.padId);
      const padId = readOnlyId ? await options.store.padIdForReadOnlyId(readOnlyId) : padIdParam(req.params.padId);
      const pad = padId ? await options.store.getPad(padId) : null;
      if (!padId || !pad)
        throw new ApiError('padNotFound', readOnlyId ? 'This read-only link does not lead to a pad.' : `No pad named "${padId}".`);
      const room = options.rooms.peek(padId);
      const meta = {
        readOnlyId: await options.store.readOnlyIdOf(padId),
        createdAt: new Date(pad.createdAt).toISOString(),
        updatedAt: new Date(pad.updatedAt).toISOString(),
        updates: pad.lastSeq,
        connections: room ? room.peers.size : 0,
      };
      if (!readOnlyId) return { id: pad.id, ...meta };
      const label = (await options.label?.(padId)) ?? { title: null, event: null, team: null };
      return { ...meta, readOnly: true, ...label };
    },
  );
  app.post<{ Params: { padId: string }; Body: { scope?: ResetScope } | undefined }>(
    '/pads/:padId/reset',
    {
      onRequest: adminOnly(options.adminToken),
      bodyLimit: 1024,
      schema: {
        tags: ['pads'],
        summary: "Delete what fills a pad (admin): its top-level types outside the pad's schema, or (scope all) everything; history stays",
        security: adminSecurity,
        params: { type: 'object', properties: { padId: { type: 'string', maxLength: 300 } }, required: ['padId'] },
        body: {
          type: 'object',
          properties: { scope: { type: 'string', enum: ['foreign', 'all'], default: 'foreign' } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              cleared: { type: 'array', items: { type: 'string' }, description: 'top-level names whose content was deleted' },
              storedBytes: {
                type: ['integer', 'null'],
                description: 'the pad measured afresh, bytes (null while other writes are in flight: measured with the next commit)',
              },
            },
          },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const padId = padIdParam(req.params.padId);
      if (!(await options.store.getPad(padId))) throw new ApiError('padNotFound', `No pad named "${padId}".`);
      const scope = req.body?.scope ?? 'foreign';
      return options.rooms.use(padId, async (room) => {
        const { update, cleared } = padResetUpdate(room.currentDoc(), scope);
        if (update) await room.applyApiUpdate(update, 'admin');
        return { cleared, storedBytes: options.rooms.remeasure(room) };
      });
    },
  );
}
