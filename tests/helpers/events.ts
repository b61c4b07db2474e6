/** Helpers for the events tests: JSON requests with or without the admin token, pad text, SSE. */
import * as Y from 'yjs';
import { replacementUpdate } from '../../common/markdown/pad-content.js';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import type { InProcessServer } from './server.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string | null; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: res.status, body: body as T, headers: res.headers };
}

export const admin = (baseUrl: string, method: string, path: string, body?: unknown) =>
  api(baseUrl, method, path, { body, token: ADMIN_TOKEN });

/** An update that writes `lines` as paragraphs into the XmlFragment 'default' of a fresh doc. */
export function paragraphsUpdate(lines: string[]): Uint8Array {
  const doc = new Y.Doc();
  appendParagraphs(doc, lines);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

export function appendParagraphs(doc: Y.Doc, lines: string[]): void {
  const fragment = doc.getXmlFragment('default');
  doc.transact(() => {
    for (const line of lines) {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(line)]);
      fragment.insert(fragment.length, [paragraph]);
    }
  });
}

/** Writes paragraphs into a pad through the server's API path (a durable, committed write). */
export async function writePad(server: InProcessServer, padId: string, lines: string[]): Promise<void> {
  await server.app.rooms.use(padId, (room) => room.applyApiUpdate(paragraphsUpdate(lines), 'test'));
}

/**
 * Makes a pad's content `markdown`, committed through the server's API path, like
 * `PUT .../content` but parsed here rather than in the server's parse worker (whose time limit
 * includes starting the worker, which a busy CI machine can exceed).
 */
export async function writeMarkdown(server: InProcessServer, padId: string, markdown: string): Promise<void> {
  const next = padMarkdown().parse(markdown);
  await server.app.rooms.use(padId, async (room) => {
    const update = replacementUpdate(room.currentDoc(), next);
    if (update) await room.applyApiUpdate(update, 'test');
  });
}

export interface SseClient {
  events: { name: string; data: any }[];
  close(): void;
}

/** Reads a text/event-stream with fetch, collecting `event:`/`data:` pairs. */
export async function openSse(url: string): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`SSE ${url} answered ${res.status}: ${await res.text()}`);
  const events: { name: string; data: any }[] = [];
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data) events.push({ name, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return { events, close: () => controller.abort() };
}
