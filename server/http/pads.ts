/** `/api/v1/pads`: pad metadata. */
import type { FastifyInstance } from 'fastify';
import { normalizePadId } from '../../common/pad-id.js';
import { ApiError } from '../errors.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import type { Rooms } from '../sync/rooms.js';

export interface PadsOptions {
  store: SqliteStore;
  rooms: Rooms;
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
      const padId = padIdParam(req.params.padId);
      const pad = await options.store.getPad(padId);
      if (!pad) throw new ApiError('padNotFound', `No pad named "${padId}".`);
      const room = options.rooms.peek(padId);
      return {
        id: pad.id,
        createdAt: new Date(pad.createdAt).toISOString(),
        updatedAt: new Date(pad.updatedAt).toISOString(),
        updates: pad.lastSeq,
        connections: room ? room.peers.size : 0,
      };
    },
  );
}
