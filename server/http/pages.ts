/**
 * The browser pages: the built client from dist/client. Every `/p/<padId>` serves the same
 * pad page; a non-canonical id redirects to its lowercase form, an invalid one gets a 400
 * (an HTML page that explains, error-page.ts).
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePadId } from '../../common/pad-id.js';
import { normalizeReadOnlyId } from '../access/read-only-id.js';
import { ApiError } from '../errors.js';

/** For `sendFile` of files that are not content-hashed: the route's Cache-Control, not the assets' year. */
const OWN_CACHE_HEADER = { cacheControl: false } as const;

export interface PagesOptions {
  clientDir: string;
  resolveReadOnlyId(readOnlyId: string): Promise<string | null>;
  /** The pad an old (Etherpad) name leads to, exactly as written, or null. */
  resolveAlias(name: string): Promise<string | null>;
}

export async function pagesPlugin(app: FastifyInstance, options: PagesOptions): Promise<void> {
  const built = existsSync(join(options.clientDir, 'pad.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: join(options.clientDir, 'assets'),
      prefix: '/assets/',
      immutable: true,
      maxAge: '365d',
      // The build writes .br and .gz copies next to each asset (vite.config.ts).
      preCompressed: true,
      // Also on the uncompressed answer, so no shared cache hands it out for every encoding.
      setHeaders: (res) => res.setHeader('Vary', 'Accept-Encoding'),
      index: false,
      decorateReply: true,
    });
  }

  const page = (reply: FastifyReply, file: string) => {
    if (!built) throw new ApiError('unavailable', 'The browser client is not built: run `npm run build`.');
    // Pages name the hashed assets of one build: always revalidated, never the assets' year.
    return reply.header('Cache-Control', 'no-cache').sendFile(file, options.clientDir, OWN_CACHE_HEADER);
  };

  // The router has decoded the segment once already: the alias is looked up as it came.
  const aliasOf = (segment: string): Promise<string | null> => options.resolveAlias(segment);

  app.get('/', (_req, reply) => page(reply, 'index.html'));

  app.get<{ Params: { padId: string } }>('/p/:padId', async (req, reply) => {
    // An old name that had to change (Etherpad migration) leads to its new id.
    const alias = await aliasOf(req.params.padId);
    if (alias) return reply.redirect(`/p/${encodeURIComponent(alias)}`, 301);
    const padId = normalizePadId(req.params.padId);
    if (!padId) throw new ApiError('invalidPadId', `"${req.params.padId.slice(0, 120)}" is not a valid pad name.`);
    if (padId !== req.params.padId) return reply.redirect(`/p/${padId}`, 301);
    return page(reply, 'pad.html');
  });

  // The read-only view: the pad page, which connects to /ws/<readOnlyId> as a viewer.
  app.get<{ Params: { readOnlyId: string } }>('/r/:readOnlyId', async (req, reply) => {
    const readOnlyId = normalizeReadOnlyId(req.params.readOnlyId);
    if (!readOnlyId || !(await options.resolveReadOnlyId(readOnlyId))) {
      throw new ApiError('padNotFound', 'This read-only link does not lead to a pad.');
    }
    if (readOnlyId !== req.params.readOnlyId) return reply.redirect(`/r/${readOnlyId}`, 301);
    // The share dialog's embed snippet frames this view on other sites; it cannot edit anything.
    const csp = reply.getHeader('content-security-policy');
    if (typeof csp === 'string') reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
    reply.removeHeader('x-frame-options');
    return page(reply, 'pad.html');
  });

  // The event page and its recap page; their data comes from /api/v1/events/<event>... (a 404 shows there).
  for (const [suffix, file] of [
    ['', 'event.html'],
    ['/recap', 'recap.html'],
  ] as const) {
    app.get<{ Params: { event: string } }>(`/e/:event${suffix}`, (req, reply) => {
      const slug = req.params.event.replace(/[A-Z]/g, (c) => c.toLowerCase());
      if (!/^[a-z0-9][a-z0-9_-]{0,59}$/.test(slug))
        throw new ApiError('badRequest', 'Event names use lowercase letters, digits, "-" and "_".');
      if (slug !== req.params.event)
        return reply.redirect(`/e/${slug}${suffix}${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`, 301);
      return page(reply, file);
    });
  }

  // The offline shell's service worker (client/public/sw.js): always revalidated, scope `/`.
  if (built && existsSync(join(options.clientDir, 'sw.js'))) {
    app.get('/sw.js', (_req, reply) => reply.header('Cache-Control', 'no-cache').sendFile('sw.js', options.clientDir, OWN_CACHE_HEADER));
  }

  if (built && existsSync(join(options.clientDir, 'favicon.svg'))) {
    app.get('/favicon.svg', (_req, reply) =>
      reply.header('Cache-Control', 'public, max-age=86400').sendFile('favicon.svg', options.clientDir, OWN_CACHE_HEADER),
    );
  }
}
