/**
 * Each browser gets an author id from the server, kept in an HttpOnly cookie. The server
 * records the author of every stored update from the connection's cookie, never from what a
 * client claims. A client without the cookie (a script, a stock provider in Node) gets a new
 * anonymous id per connection (`anon.`, never a cookie value), and a cookie for next time.
 */
import { randomBytes } from 'node:crypto';
import { parse, serialize } from 'cookie';
import { ANONYMOUS_AUTHOR_PREFIX } from '../sync/types.js';

export const AUTHOR_COOKIE = 'gp_author';
const AUTHOR_ID = /^a\.[A-Za-z0-9_-]{22}$/;
const ONE_YEAR_S = 365 * 24 * 3600;

export function newAuthorId(): string {
  return `a.${randomBytes(16).toString('base64url')}`;
}

/** The author of a connection without the cookie: a new one each time (see ClientIds). */
export function newAnonymousAuthorId(): string {
  return `${ANONYMOUS_AUTHOR_PREFIX}${randomBytes(16).toString('base64url')}`;
}

/** The author id in a Cookie header, if it is well formed. */
export function authorFromCookieHeader(header: string | undefined): string | null {
  if (!header) return null;
  const value = parse(header)[AUTHOR_COOKIE];
  return value && AUTHOR_ID.test(value) ? value : null;
}

export function authorCookie(author: string, secure: boolean): string {
  return serialize(AUTHOR_COOKIE, author, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: ONE_YEAR_S, secure });
}
