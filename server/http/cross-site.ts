/**
 * Cross-site request forgery: a page on another site can make a visitor's browser send a POST
 * (a form, or a body-less fetch) with the visitor's cookies, and a restore, an import or a
 * saved revision would then be done in the visitor's name. Every state-changing request
 * (POST, PUT, PATCH, DELETE) whose `Origin` is not this server's (same host, PUBLIC_URL,
 * ALLOWED_ORIGINS: the same rule as for WebSockets), or that a browser marks `Sec-Fetch-Site:
 * cross-site`/`same-site` without an `Origin`, is refused with 403 before its body is read.
 * Requests without either header are not from a browser (scripts, curl) and pass; so do admin
 * calls with the bearer token, which browsers never add on their own.
 */
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors.js';
import { isAdmin } from './admin-auth.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface CrossSiteOptions {
  /** True if a browser page from `origin` may act on this server (access/origins.ts). */
  originAllowed: (origin: string, req: IncomingMessage) => boolean;
  adminToken: string | null;
}

/** Register on the root instance, before the routes. */
export async function registerCrossSiteCheck(app: FastifyInstance, options: CrossSiteOptions): Promise<void> {
  app.addHook('onRequest', async (req) => {
    if (!STATE_CHANGING.has(req.method) || isAdmin(req, options.adminToken)) return;
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const foreign = origin !== undefined ? !options.originAllowed(origin, req.raw) : site === 'cross-site' || site === 'same-site';
    if (foreign) {
      throw new ApiError(
        'forbidden',
        `A ${req.method} from another site (${origin ?? site}) is refused: changes are made from this server's own pages, scripts without an Origin, or admin calls.`,
      );
    }
  });
}
