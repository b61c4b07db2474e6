/**
 * `/api/v1` markdown routes: export a pad's current content as markdown, HTML or plain text;
 * replace it by importing markdown or text (one new revision, attributed to the caller's author
 * cookie or `api`). Recaps are in recaps.ts.
 *
 * Exports are served with `X-Content-Type-Options: nosniff` and a CSP that forbids scripts,
 * and as attachments with `?download=1`. Imports are capped at `maxImportBytes` (413), computed
 * in a worker with a time limit (422 when too complex), and refused with 413 when the pad would
 * pass MAX_PAD_BYTES.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { JSONContent } from '@tiptap/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import * as Y from 'yjs';
import { CloseCode } from '../../common/protocol.js';
import { readPadDoc } from '../../common/markdown/pad-content.js';
import { padToHtmlDocument } from '../../common/markdown/pad-html.js';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import { padToPlainText } from '../../common/markdown/pad-text.js';
import { ApiError, errorBody } from '../errors.js';
import { ImportTooLarge, ImporterBusy, MarkdownImporter, MarkdownTooComplex } from '../markdown/markdown-importer.js';
import { SocketCloseError } from '../sync/close-error.js';
import type { PadStore } from '../store/pad-store.js';
import type { Rooms } from '../sync/rooms.js';
import { ErrorResponse, errors } from './api-schemas.js';
import { authorFromCookieHeader } from './author-cookie.js';
import { readOnlyIdOfRequest } from './access.js';
import { EXPORT_FORMATS, sendExport, type ExportFormat } from './export-reply.js';
import { padIdParam } from './pads.js';

export interface MarkdownApiOptions {
  store: Pick<PadStore, 'getPad'>;
  rooms: Rooms;
  /** Largest import body, bytes. */
  maxImportBytes: number;
  /** Largest stored size of one pad, bytes (MAX_PAD_BYTES): larger imports answer 413. */
  maxPadBytes: number;
  /** Longest an import may take to parse, ms (default 3000). */
  parseTimeoutMs?: number;
}

const PadParams = Type.Object({ padId: Type.String({ maxLength: 300 }) });
const ExportQuery = Type.Object({
  download: Type.Optional(Type.String({ description: '1 to download as a file (Content-Disposition: attachment)' })),
});
const tags = ['markdown'];

export async function markdownApi(fastify: FastifyInstance, options: MarkdownApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const importer = new MarkdownImporter({ timeoutMs: options.parseTimeoutMs });
  app.addHook('onClose', () => importer.close());

  // Imports arrive as text; other types get a 415 from the route.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    ['text/markdown', 'text/plain', 'text/x-markdown'],
    { parseAs: 'string', bodyLimit: options.maxImportBytes },
    (_req, body, done) => done(null, body),
  );
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .status(413)
        .send(
          errorBody(
            'payload_too_large',
            `The content is larger than ${formatBytes(options.maxImportBytes)}, the most one import may be (MAX_IMPORT_BYTES).`,
          ),
        );
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(errorBody('unsupported_media_type', 'Send the content as text/markdown or text/plain (UTF-8).'));
    }
    throw err;
  });

  async function padDoc(padId: string): Promise<JSONContent> {
    if (!(await options.store.getPad(padId))) throw new ApiError('padNotFound', `No pad named "${padId}".`);
    const schema = padMarkdown().schema;
    return options.rooms.use(padId, (room) => readPadDoc(room.currentDoc(), schema).toJSON() as JSONContent);
  }

  for (const format of Object.keys(EXPORT_FORMATS) as ExportFormat[]) {
    app.get(
      `/pads/:padId/export.${format}`,
      {
        schema: {
          tags,
          summary: `The pad's current content as ${EXPORT_FORMATS[format].summary}`,
          params: PadParams,
          querystring: ExportQuery,
          response: { 200: Type.String({ description: EXPORT_FORMATS[format].type }), ...errors(400, 404) },
        },
      },
      async (req, reply) => {
        const padId = padIdParam(req.params.padId);
        const doc = await padDoc(padId);
        // Under a read-only link the pad is named by that link's id.
        const name = readOnlyIdOfRequest(req) ?? padId;
        const body =
          format === 'md' ? padMarkdown().serialize(doc) : format === 'html' ? padToHtmlDocument(doc, name) : padToPlainText(doc);
        return sendExport(reply, format, body, req.query.download === '1' ? `${name}.${format}` : null);
      },
    );
  }

  app.put(
    '/pads/:padId/content',
    {
      bodyLimit: options.maxImportBytes,
      schema: {
        tags,
        summary:
          'Replace the pad content with markdown (text/markdown) or plain text (text/plain, one paragraph per line), as one new revision; creates the pad if needed',
        params: PadParams,
        response: {
          200: Type.Object({ id: Type.String(), created: Type.Boolean(), changed: Type.Boolean() }),
          201: Type.Object({ id: Type.String(), created: Type.Boolean(), changed: Type.Boolean() }),
          ...errors(400, 413),
          415: ErrorResponse,
          422: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (req, reply) => {
      const padId = padIdParam(req.params.padId);
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'text/markdown' && type !== 'text/x-markdown' && type !== 'text/plain') {
        throw new ApiError('unsupportedMediaType', 'Send the content as text/markdown or text/plain (UTF-8).');
      }
      const body = typeof req.body === 'string' ? req.body : '';
      const existed = (await options.store.getPad(padId)) !== null;
      const author = authorFromCookieHeader(req.headers.cookie) ?? 'api';
      const source = type === 'text/plain' ? { text: body } : { markdown: body };
      const compute = async (state: () => Promise<Uint8Array>, storedBytes: number) => {
        try {
          return await importer.replacement({ source, state, maxUpdateBytes: Math.max(0, options.maxPadBytes - storedBytes) });
        } catch (err) {
          if (err instanceof MarkdownTooComplex) throw new ApiError('unprocessable', err.message);
          if (err instanceof ImportTooLarge) throw new ApiError('payloadTooLarge', err.message);
          if (err instanceof ImporterBusy) throw new ApiError('unavailable', err.message);
          throw err;
        }
      };
      // A new pad is computed from an empty document before it is created: a refused import creates nothing.
      const fresh = existed ? null : await compute(async () => Y.encodeStateAsUpdate(new Y.Doc()), 0);
      const changed = await options.rooms.use(padId, async (room) => {
        const update = existed ? await compute(async () => Y.encodeStateAsUpdate(room.currentDoc()), room.progress.storedBytes) : fresh;
        if (!update) return false;
        try {
          await room.applyApiUpdate(update, author);
        } catch (err) {
          // The pad grew meanwhile past its cap, or the update did not apply.
          if (err instanceof SocketCloseError)
            throw new ApiError(err.closeCode === CloseCode.padFull ? 'payloadTooLarge' : 'unprocessable', err.message);
          throw err;
        }
        return true;
      });
      return reply.status(existed ? 200 : 201).send({ id: padId, created: !existed, changed });
    },
  );
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 && n % (1024 * 1024) === 0
    ? `${n / (1024 * 1024)} MiB`
    : n >= 1024 && n % 1024 === 0
      ? `${n / 1024} KiB`
      : `${n} bytes`;
}
