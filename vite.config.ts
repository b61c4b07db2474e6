import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

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
  plugins: [padRoutes()],
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
