/**
 * Read-only exports when the store cannot map a read-only id synchronously (PostgreSQL: the
 * URL rewrite answers from a cache). `readOnlyRewriter` sends such requests here; the id is
 * looked up (which fills the cache) and the original request replayed in-process, so the
 * answer is the same as on a warm cache and the pad id never shows.
 */
import type { FastifyInstance } from 'fastify';
import { normalizeReadOnlyId } from '../access/read-only-id.js';
import { ApiError } from '../errors.js';
import type { PadStore } from '../store/pad-store.js';

export interface ReadOnlyResolverOptions {
  store: Pick<PadStore, 'padIdForReadOnlyId'>;
}

const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

export async function readOnlyResolver(app: FastifyInstance, options: ReadOnlyResolverOptions): Promise<void> {
  app.get<{ Params: { readOnlyId: string; file: string } }>(
    '/-read-only/:readOnlyId/:file',
    { schema: { hide: true } },
    async (req, reply) => {
      const readOnlyId = normalizeReadOnlyId(req.params.readOnlyId);
      if (!readOnlyId || !/^export\.(md|html|txt)$/.test(req.params.file) || !(await options.store.padIdForReadOnlyId(readOnlyId))) {
        throw new ApiError('padNotFound', 'This read-only link does not lead to a pad.');
      }
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      const replay = await app.inject({
        method: 'GET',
        url: `/api/v1/pads/${readOnlyId}/${req.params.file}${query}`,
        headers: req.headers,
      });
      for (const [name, value] of Object.entries(replay.headers)) {
        if (value !== undefined && !HOP_HEADERS.has(name)) reply.header(name, value);
      }
      return reply.status(replay.statusCode).send(replay.rawPayload);
    },
  );
}
