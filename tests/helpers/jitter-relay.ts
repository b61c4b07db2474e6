/**
 * A relay in front of a Gatherpad server that delays every WebSocket frame by a random time
 * (seeded), in order per direction as TCP keeps it, the way conference Wi-Fi does. Plain HTTP
 * (the pages, the API) passes through untouched, so a browser opens pads on the relay's address
 * and its socket goes through the jitter.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as prng from 'lib0/prng';
import WebSocket, { WebSocketServer } from 'ws';

export interface JitterRelay {
  baseUrl: string;
  close(): Promise<void>;
}

/** Sends frames from one socket to another, each `0..maxDelayMs` later than it came, in order. */
function delayedPipe(from: WebSocket, to: WebSocket, gen: prng.PRNG, maxDelayMs: number): void {
  let lastDue = 0;
  from.on('message', (data: Buffer, isBinary: boolean) => {
    const due = Math.max(lastDue, Date.now() + prng.int32(gen, 0, maxDelayMs));
    lastDue = due;
    setTimeout(() => {
      if (to.readyState === WebSocket.OPEN) to.send(data, { binary: isBinary });
    }, due - Date.now());
  });
  from.on('close', (code, reason) => {
    setTimeout(
      () => {
        if (to.readyState === WebSocket.OPEN || to.readyState === WebSocket.CONNECTING) {
          to.close(code >= 3000 && code < 5000 ? code : 1000, reason.toString());
        }
      },
      Math.max(0, lastDue - Date.now()),
    );
  });
  from.on('error', () => to.terminate());
}

export async function startJitterRelay(targetBaseUrl: string, options: { seed: number; maxDelayMs: number }): Promise<JitterRelay> {
  const target = new URL(targetBaseUrl);
  const gen = prng.create(options.seed);
  const sockets = new WebSocketServer({ noServer: true });
  const http: Server = createServer((req, res) => {
    // As for sockets below: the page's origin is the relay's, which the server would take for another site.
    const origin = req.headers.origin ? { origin: `http://${target.host}` } : {};
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: target.host, ...origin },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(upstream);
  });
  http.on('upgrade', (req, socket, head) => {
    sockets.handleUpgrade(req, socket, head, (browserSide) => {
      const headers: Record<string, string> = { origin: `http://${target.host}` };
      if (req.headers.cookie) headers.cookie = req.headers.cookie;
      const serverSide = new WebSocket(`ws://${target.host}${req.url ?? '/'}`, { headers });
      const pending: { data: Buffer; isBinary: boolean }[] = [];
      const early = (data: Buffer, isBinary: boolean) => pending.push({ data, isBinary });
      browserSide.on('message', early);
      serverSide.once('open', () => {
        browserSide.off('message', early);
        for (const frame of pending) serverSide.send(frame.data, { binary: frame.isBinary });
        delayedPipe(browserSide, serverSide, gen, options.maxDelayMs);
        delayedPipe(serverSide, browserSide, gen, options.maxDelayMs);
      });
      serverSide.once('error', () => browserSide.terminate());
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
