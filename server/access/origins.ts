/**
 * Which browser origins may open a pad's WebSocket: the page's own origin (the Host the
 * request came to), PUBLIC_URL's origin, and ALLOWED_ORIGINS. Anything else is refused before
 * the upgrade, so another site cannot open pads with a visitor's cookies.
 */
import type { IncomingMessage } from 'node:http';

export function originChecker(publicUrl: string | null, allowedOrigins: string | null): (origin: string, req: IncomingMessage) => boolean {
  const allowed = new Set<string>();
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  for (const entry of (allowedOrigins ?? '').split(',')) {
    const trimmed = entry.trim();
    if (trimmed) allowed.add(trimmed === '*' ? '*' : new URL(trimmed).origin);
  }
  return (origin, req) => {
    if (allowed.has('*') || allowed.has(origin)) return true;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false;
    }
    // Same origin: the page was served by this server under the Host it connects to.
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host === req.headers.host;
  };
}
