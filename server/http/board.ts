/**
 * `/api/v1/pads/<padId>/board.json` and `/revisions/<rev>/board.json`: the shapes on a pad's
 * board (the `board` map of its Y.Doc, see common/board/board-doc.ts), now or as of a revision,
 * bottom to top. Read-only; board writes travel over the pad's WebSocket like the notes.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { readBoard, SHAPE_TYPES } from '../../common/board/board-doc.js';
import { ApiError } from '../errors.js';
import type { PadHistory } from '../history/pad-history.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import type { Rooms } from '../sync/rooms.js';
import { errors } from './api-schemas.js';
import { padIdParam } from './pads.js';

export interface BoardApiOptions {
  store: Pick<SqliteStore, 'getPad'>;
  rooms: Rooms;
  history: PadHistory;
}

const Shape = Type.Object({
  id: Type.String(),
  type: Type.String({ enum: [...SHAPE_TYPES] }),
  x: Type.Number(),
  y: Type.Number(),
  w: Type.Number(),
  h: Type.Number(),
  color: Type.String({ description: 'sticky colour name, or #rrggbb' }),
  z: Type.String({ description: 'fractional index; shapes sort by z, then id' }),
  text: Type.String(),
  width: Type.Number({ description: 'stroke width' }),
  points: Type.Array(Type.Number(), { description: 'strokes: flat x, y pairs, offset by x and y' }),
  x1: Type.Number(),
  y1: Type.Number(),
  x2: Type.Number(),
  y2: Type.Number(),
  from: Type.String({ description: "arrows: id of the shape the start is bound to, or ''" }),
  to: Type.String({ description: "arrows: id of the shape the end is bound to, or ''" }),
});
const Board = Type.Object({ shapes: Type.Array(Shape) });
const PadId = Type.String({ maxLength: 300 });
const tags = ['board'];

export async function boardApi(fastify: FastifyInstance, options: BoardApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/pads/:padId/board.json',
    {
      schema: {
        tags,
        summary: "The shapes on the pad's board, bottom to top",
        params: Type.Object({ padId: PadId }),
        response: { 200: Board, ...errors(400, 404) },
      },
    },
    async (req) => {
      const padId = padIdParam(req.params.padId);
      if (!(await options.store.getPad(padId))) throw new ApiError('padNotFound', `No pad named "${padId}".`);
      return { shapes: await options.rooms.use(padId, (room) => readBoard(room.currentDoc())) };
    },
  );

  app.get(
    '/pads/:padId/revisions/:rev/board.json',
    {
      schema: {
        tags,
        summary: "The shapes on the pad's board as of a revision, bottom to top",
        params: Type.Object({ padId: PadId, rev: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        response: { 200: Board, ...errors(400, 404) },
      },
    },
    async (req) => {
      const padId = padIdParam(req.params.padId);
      await options.history.ready(padId);
      const doc = await options.history.revisionDoc(padId, req.params.rev);
      try {
        return { shapes: readBoard(doc) };
      } finally {
        doc.destroy();
      }
    },
  );
}
