/**
 * Admin authorisation for API calls: `Authorization: Bearer <ADMIN_TOKEN>`. No credentials ->
 * 401 (with `WWW-Authenticate: Bearer`); a wrong token, or admin calls while ADMIN_TOKEN is
 * unset -> 403. Tokens are compared in constant time (both sides hashed first, so neither the
 * content nor the length leaks through timing).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** The bearer token in an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

/** True if `given` equals `expected`, in time independent of where they differ. */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** True if the request carries the admin token (never throws). */
export function isAdmin(req: FastifyRequest, adminToken: string | null): boolean {
  const given = bearerToken(req.headers.authorization);
  return adminToken !== null && given !== null && tokensMatch(given, adminToken);
}

/** Throws the 401/403 ApiError unless the request carries the admin token. */
export function assertAdmin(req: FastifyRequest, reply: FastifyReply, adminToken: string | null): void {
  const given = bearerToken(req.headers.authorization);
  if (given === null) {
    reply.header('WWW-Authenticate', 'Bearer');
    throw new ApiError('unauthorized', 'This needs the admin token: send "Authorization: Bearer <ADMIN_TOKEN>".');
  }
  if (adminToken === null) throw new ApiError('forbidden', 'Admin calls are disabled on this server (ADMIN_TOKEN is not set).');
  if (!tokensMatch(given, adminToken)) throw new ApiError('forbidden', 'The admin token is not correct.');
}

/** A Fastify `preHandler` that lets only admin requests through. */
export function adminOnly(adminToken: string | null) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => assertAdmin(req, reply, adminToken);
}
