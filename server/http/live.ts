/**
 * `GET /api/v1/events/<event>/live`: a text/event-stream of the event page's changes (see
 * LiveFeed): `event` with the whole event, `counts` with `{"pads": {"<padId>": n}}`, `gone`
 * when the event was deleted or the server stops. A comment line every 25 s keeps proxies open.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { slugParam } from '../events/event-model.js';
import type { EventService } from '../events/event-service.js';
import type { LiveFeed } from '../events/live-feed.js';
import { errors, EventParams } from './api-schemas.js';

export interface LiveApiOptions {
  service: EventService;
  feed: LiveFeed;
}

const KEEPALIVE_MS = 25_000;

export async function liveApi(fastify: FastifyInstance, options: LiveApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of Array.from(streams)) end();
    options.feed.close();
  });

  app.get(
    '/events/:event/live',
    {
      schema: {
        tags: ['events'],
        summary: 'Server-sent events: the event (`event`), live counts per pad (`counts`), `gone`',
        params: EventParams,
        response: { ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const event = slugParam(req.params.event, 'event');
      await options.service.requireEvent(event);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(keepalive);
        unsubscribe();
        streams.delete(end);
        res.end();
      };
      const unsubscribe = options.feed.subscribe(event, (name, data) => {
        if (ended) return;
        res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
        if (name === 'gone') end();
      });
      const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
      keepalive.unref();
      streams.add(end);
      req.raw.on('close', end);
      res.on('error', end);
    },
  );
}
