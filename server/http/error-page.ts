/**
 * What a browser gets when a page address cannot be served (a bad pad name, a read-only link
 * that leads nowhere, an unknown path): an HTML page that says what is wrong and links home,
 * with the error's status. API routes (Etherpad's `/p/<pad>/export/...` and `/import` too), the
 * socket, assets, calendar feeds and probes keep their JSON errors,
 * and so does a page request that asks for JSON only (`Accept: application/json`).
 *
 * The page is the built client's `not-found.html` (the app's styles and theme), filled in
 * here; every filled-in text is escaped.
 */
import type { FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Not pages: the API, the socket, assets, probes, Etherpad's export and import URLs of a pad,
 * and files under an event (`/e/<event>/<team>.ics`, its teams' calendar feeds).
 */
const NOT_PAGES =
  /^\/(?:api|ws|assets)(?:[/?]|$)|^\/(?:healthz|metrics|sw\.js|favicon\.svg)(?:\?|$)|^\/p\/[^/?]+\/(?:export|import)(?:[/?]|$)|^\/e\/[^/?]+\/[^/?]+\.[^/?.]+(?:\?|$)/;

/** A GET for a page address from something that takes HTML. */
export function isPageRequest(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (NOT_PAGES.test(req.url)) return false;
  const accept = req.headers.accept ?? '';
  return !(accept.includes('application/json') && !accept.includes('text/html'));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const TITLES: Record<string, string> = {
  invalid_pad_id: 'This pad name cannot be used',
  pad_not_found: 'There is no pad here',
  not_found: 'Page not found',
};

const HINTS: Record<string, string> = {
  invalid_pad_id:
    'Pad names start with a letter or digit and use only letters, digits, ".", "-" and "_" (no ".."), up to 100 characters, for example nova-ptg-2026 or nova-2027.1-ptg.',
  pad_not_found: 'Ask whoever shared the link for a new one, or open a pad by name from the start page.',
  not_found: 'Check the address, or open a pad by name from the start page.',
};

const FALLBACK = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>__GP_TITLE__ · Gatherpad</title></head><body><main><h1>__GP_TITLE__</h1><p>__GP_DETAIL__</p><p>__GP_HINT__</p><p><a href="/">Go to the start page</a></p></main></body></html>`;

export class ErrorPage {
  private readonly template: string;

  /** `clientDir` holds the built client; without it a plain page is served. */
  constructor(clientDir: string) {
    const file = join(clientDir, 'not-found.html');
    this.template = existsSync(file) ? readFileSync(file, 'utf8') : FALLBACK;
  }

  /** The page for an error with this status, code and message. */
  render(status: number, code: string, message: string): string {
    const title =
      TITLES[code] ?? (status >= 500 ? 'Something went wrong' : status === 404 ? TITLES.not_found : 'This address cannot be used');
    const hint = HINTS[code] ?? (status >= 500 ? 'Try again in a moment.' : HINTS.not_found);
    const fill: Record<string, string> = { __GP_TITLE__: title, __GP_DETAIL__: message, __GP_HINT__: hint };
    return this.template.replace(/__GP_(?:TITLE|DETAIL|HINT)__/g, (marker) => escapeHtml(fill[marker]));
  }
}
