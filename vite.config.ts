import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const clientRoot = resolve(repoRoot, 'client');

/**
 * In `vite dev`, serve pad.html for every `/p/<id>` the way the server does in production, so
 * the pad page can be developed against a running server (proxied below).
 */
function padRoutes(): Plugin {
  return {
    name: 'gatherpad-pad-routes',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && /^\/p\/[^/?#]+\/?(\?.*)?$/.test(req.url)) req.url = '/pad.html';
        if (req.url && /^\/e\/[^/?#]+\/?(\?.*)?$/.test(req.url)) req.url = '/event.html';
        if (req.url && /^\/e\/[^/?#]+\/recap\/?(\?.*)?$/.test(req.url)) req.url = '/recap.html';
        next();
      });
    },
  };
}

/** The dev server proxies the API and sync socket to a server started separately (default port). */
const devBackend = process.env.GATHERPAD_DEV_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: clientRoot,
  base: '/',
  // Brotli and gzip copies of the assets, served by @fastify/static's `preCompressed`: the pad
  // page's JavaScript is ~500 KB as is, ~150 KB gzip, over conference Wi-Fi.
  plugins: [padRoutes(), compression({ include: /\.(js|css|svg)$/, threshold: 1024, logLevel: 'silent' })],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The pad page is one editor bundle (TipTap + ProseMirror + Yjs, ~180 KB gzip); splitting it
    // would only add round trips before the editor can render.
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      input: {
        home: resolve(clientRoot, 'index.html'),
        pad: resolve(clientRoot, 'pad.html'),
        event: resolve(clientRoot, 'event.html'),
        recap: resolve(clientRoot, 'recap.html'),
        notFound: resolve(clientRoot, 'not-found.html'),
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': devBackend,
      '/ws': { target: devBackend, ws: true },
    },
  },
});
