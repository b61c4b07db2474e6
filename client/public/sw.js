/*
 * Gatherpad's service worker: keeps the pages' HTML and built assets so a pad opens (from
 * IndexedDB) while offline. HTML is network-first (a deploy is seen at once), hashed /assets/
 * are cache-first (their names change with their content). /api and /ws are never cached:
 * the pad's content and saving belong to IndexedDB and the sync socket.
 */
const CACHE = 'gatherpad-shell-v1';
/** Every pad page (`/p/<id>`, `/r/<id>`) is the same HTML: one cache entry serves them all. */
const PAD_SHELL = '/__shell/pad';
const EVENT_SHELL = '/__shell/event';

function shellKey(path) {
  if (/^\/[pr]\/[^/]+\/?$/.test(path)) return PAD_SHELL;
  if (/^\/e\/[^/]+\/?$/.test(path)) return EVENT_SHELL;
  if (path === '/') return '/';
  return null;
}

async function cacheShell(cache, url, key) {
  const res = await fetch(url, { credentials: 'same-origin', cache: 'no-cache' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put(key, res);
  const assets = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) assets.add(match[1]);
  await Promise.all([...assets].map((asset) => cache.add(asset).catch(() => undefined)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Any valid pad id serves the pad page; opening the page creates no pad.
      await cacheShell(cache, '/p/offline-shell', PAD_SHELL).catch(() => undefined);
      await cache.add('/favicon.svg').catch(() => undefined);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok && res.headers.get('content-type')?.includes('text/html')) await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const cached = await cache.match(key);
    if (cached) return cached;
    return new Response(
      '<!doctype html><meta charset="utf-8"><title>Offline · Gatherpad</title><p>You are offline and this page has not been opened on this device before. It will load when the connection is back.</p>',
      { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } },
    );
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/ws')) return;
  if (request.mode === 'navigate') {
    const key = shellKey(url.pathname);
    if (key) event.respondWith(networkFirst(request, key));
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg') event.respondWith(cacheFirst(request));
});
