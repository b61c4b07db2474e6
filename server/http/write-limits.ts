/**
 * A rate limit on HTTP writes (POST, PUT, PATCH, DELETE) per client address, through
 * `@fastify/rate-limit`: imports, restores, forks and the like each cost real work, and without
 * a limit one script could queue them without end. Reads are not limited here (their expensive
 * parts are bounded where they run); admin calls with the bearer token are not limited, nor are
 * requests the server makes to itself (`app.inject`: the request that made them was counted, and
 * they would all count against 127.0.0.1, one budget for every client). Over the limit: 429
 * with the JSON error shape and `Retry-After`.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import { isAdmin } from './admin-auth.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface WriteLimitOptions {
  /** Writes one address may make per minute (HTTP_WRITES_PER_MINUTE). */
  perMinute: number;
  adminToken: string | null;
}

/** Register before the routes it should cover. */
export async function registerWriteLimits(app: FastifyInstance, options: WriteLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.perMinute,
    timeWindow: 60_000,
    allowList: (req) => !WRITE_METHODS.has(req.method) || isAdmin(req, options.adminToken) || injected(req),
    errorResponseBuilder: (_req, context) =>
      new ApiError(
        'tooManyRequests',
        `Too many changes from this address (more than ${context.max} a minute); try again in ${context.after}.`,
      ),
  });
}

/** Set by light-my-request on the requests of `app.inject`, which no client can send. */
function injected(req: FastifyRequest): boolean {
  return (req.raw as { isLightMyRequest?: boolean }).isLightMyRequest === true;
}

/**
 * Route config for writes whose admin credential may be in the body (the Etherpad API's
 * `apikey` in a form): the limit runs once the body is read, and calls for which `adminCall`
 * holds are not counted, as admin calls with the bearer token are not. Such a route keeps its
 * own count per address.
 */
export function writeLimitAfterBody(adminCall: (req: FastifyRequest) => boolean) {
  return { rateLimit: { hook: 'preHandler' as const, allowList: (req: FastifyRequest) => adminCall(req) } };
}
