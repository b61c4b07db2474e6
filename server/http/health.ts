/** `/healthz` (liveness) and `/metrics` (Prometheus text). */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export async function healthPlugin(app: FastifyInstance, options: { registry: Registry }): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_req, reply) => {
    reply.header('Content-Type', options.registry.contentType);
    return options.registry.metrics();
  });
}
