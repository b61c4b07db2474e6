/**
 * `/api/v1` markdown routes: export a pad's current content as markdown, HTML or plain text;
 * replace it by importing markdown or text (one new revision, attributed to the caller's author
 * cookie or `api`). Recaps are in recaps.ts.
 *
 * Exports are served with `X-Content-Type-Options: nosniff` and a CSP that forbids scripts,
 * and as attachments with `?download=1`. Imports are capped at `maxImportBytes` (413) and
 * parsed in a worker with a time limit (422 when too complex).
 */
import { createHash } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { JSONContent } from '@tiptap/core';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { readPadDoc, replacementUpdate } from '../../common/markdown/pad-content.js';
import { HTML_STYLE, padToHtmlDocument } from '../../common/markdown/pad-html.js';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import { padToPlainText } from '../../common/markdown/pad-text.js';
import { ApiError, errorBody } from '../errors.js';
import { MarkdownParser, MarkdownTooComplex } from '../markdown/markdown-parser.js';
import type { PadStore } from '../store/pad-store.js';
import type { Rooms } from '../sync/rooms.js';
import { ErrorResponse, errors } from './api-schemas.js';
import { authorFromCookieHeader } from './author-cookie.js';
import { padIdParam } from './pads.js';

export interface MarkdownApiOptions {
  store: Pick<PadStore, 'getPad'>;
  rooms: Rooms;
  /** Largest import body, bytes. */
  maxImportBytes: number;
  /** Longest an import may take to parse, ms (default 3000). */
  parseTimeoutMs?: number;
}

const FORMATS = {
  md: { type: 'text/markdown; charset=utf-8', summary: 'markdown (GitHub flavoured)' },
  html: { type: 'text/html; charset=utf-8', summary: 'a standalone HTML document' },
  txt: { type: 'text/plain; charset=utf-8', summary: 'plain text' },
} as const;
export type Format = keyof typeof FORMATS;

const STYLE_HASH = `'sha256-${createHash('sha256').update(HTML_STYLE).digest('base64')}'`;
const CSP = `default-src 'none'; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const PadParams = Type.Object({ padId: Type.String({ maxLength: 300 }) });
const ExportQuery = Type.Object({ download: Type.Optional(Type.String({ description: '1 to download as a file (Content-Disposition: attachment)' })) });
const tags = ['markdown'];

export async function markdownApi(fastify: FastifyInstance, options: MarkdownApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const parser = new MarkdownParser({ timeoutMs: options.parseTimeoutMs });
  app.addHook('onClose', () => parser.close());

  // Imports arrive as text; other types get a 415 from the route.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(['text/markdown', 'text/plain', 'text/x-markdown'], { parseAs: 'string', bodyLimit: options.maxImportBytes }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(errorBody('payload_too_large', `The content is larger than ${formatBytes(options.maxImportBytes)}, the most one import may be (MAX_IMPORT_BYTES).`));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(errorBody('unsupported_media_type', 'Send the content as text/markdown or text/plain (UTF-8).'));
    }
    throw err;
  });

  async function padDoc(padId: string): Promise<JSONContent> {
    if (!(await options.store.getPad(padId))) throw new ApiError('padNotFound', `No pad named "${padId}".`);
    const schema = padMarkdown().schema;
    return options.rooms.use(padId, (room) => readPadDoc(room.doc, schema).toJSON() as JSONContent);
  }

  for (const format of Object.keys(FORMATS) as Format[]) {
    app.get(`/pads/:padId/export.${format}`, {
      schema: { tags, summary: `The pad's current content as ${FORMATS[format].summary}`, params: PadParams, querystring: ExportQuery, response: { 200: Type.String({ description: FORMATS[format].type }), ...errors(400, 404) } },
    }, async (req, reply) => {
      const padId = padIdParam(req.params.padId);
      const doc = await padDoc(padId);
      const body = format === 'md' ? padMarkdown().serialize(doc) : format === 'html' ? padToHtmlDocument(doc, padId) : padToPlainText(doc);
      return sendText(reply, format, body, req.query.download === '1' ? `${padId}.${format}` : null);
    });
  }

  app.put('/pads/:padId/content', {
    bodyLimit: options.maxImportBytes,
    schema: {
      tags,
      summary: 'Replace the pad content with markdown (text/markdown) or plain text (text/plain, one paragraph per line), as one new revision; creates the pad if needed',
      params: PadParams,
      response: {
        200: Type.Object({ id: Type.String(), created: Type.Boolean(), changed: Type.Boolean() }),
        201: Type.Object({ id: Type.String(), created: Type.Boolean(), changed: Type.Boolean() }),
        ...errors(400, 413),
        415: ErrorResponse,
        422: ErrorResponse,
      },
    },
  }, async (req, reply) => {
    const padId = padIdParam(req.params.padId);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'text/markdown' && type !== 'text/x-markdown' && type !== 'text/plain') {
      throw new ApiError('unsupportedMediaType', 'Send the content as text/markdown or text/plain (UTF-8).');
    }
    const body = typeof req.body === 'string' ? req.body : '';
    let json: JSONContent;
    try {
      json = type === 'text/plain' ? plainTextDoc(body) : await parser.parse(body);
    } catch (err) {
      if (err instanceof MarkdownTooComplex) throw new ApiError('unprocessable', err.message);
      throw err;
    }
    const md = padMarkdown();
    let next;
    try {
      next = md.schema.nodeFromJSON(json);
      next.check();
    } catch (err) {
      throw new ApiError('unprocessable', `This content does not fit a pad: ${(err as Error).message.slice(0, 200)}`);
    }
    const existed = (await options.store.getPad(padId)) !== null;
    const author = authorFromCookieHeader(req.headers.cookie) ?? 'api';
    const changed = await options.rooms.use(padId, async (room) => {
      const update = replacementUpdate(room.doc, next);
      if (!update) return false;
      await room.applyApiUpdate(update, author);
      return true;
    });
    return reply.status(existed ? 200 : 201).send({ id: padId, created: !existed, changed });
  });
}

/** Sends an export: its type, no sniffing, a CSP without scripts, never cached; as a file when named. */
export function sendText(reply: FastifyReply, format: Format, body: string, downloadName: string | null): FastifyReply {
  reply
    .header('content-type', FORMATS[format].type)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', CSP)
    .header('cache-control', 'no-store');
  if (downloadName) reply.header('content-disposition', `attachment; filename="${downloadName}"`);
  return reply.send(body);
}

/** Plain text import: one paragraph per non-empty line. */
export function plainTextDoc(text: string): JSONContent {
  const lines = text.replace(/^\uFEFF/, '').replace(/\0/g, '\uFFFD').split(/\r\n?|\n/);
  return {
    type: 'doc',
    content: lines.filter((line) => line.trim() !== '').map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] })),
  };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 && n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}
