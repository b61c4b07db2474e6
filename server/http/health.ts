/**
 * `/healthz` and `/metrics` (Prometheus text). `/healthz` answers 200 while the server can
 * store edits, and 503 with the reason when it cannot (a full disk, an unreachable database):
 * a load balancer then sends people elsewhere instead of to a server that loses nothing but
 * saves nothing either.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { StorageState } from '../store/storage-health.js';
import { errorBody } from '../errors.js';

export interface HealthOptions {
  registry: Registry;
  storage: () => Promise<StorageState>;
}

export async function healthPlugin(app: FastifyInstance, options: HealthOptions): Promise<void> {
  app.get('/healthz', async (_req, reply) => {
    const storage = await options.storage();
    if (storage.ok) return { status: 'ok', storage };
    return reply
      .status(503)
      .send({ ...errorBody('storage_unavailable', `Nothing can be stored: ${storage.reason}.`), status: 'unavailable', storage });
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('Content-Type', options.registry.contentType);
    return options.registry.metrics();
  });
}
