/**
 * Etherpad's URLs and our import/export of `.etherpad` files:
 *
 * - `POST /api/v1/pads/<padId>/import/etherpad` (admin): the JSON of an export, into an empty
 *   pad, with its history (`?throughRevision=n` stops after revision n; `?alias=<old name>`
 *   makes `/p/<old name>` lead here). 201 with a summary.
 * - `GET /api/v1/pads/<padId>/export.etherpad`: any pad as a file Etherpad imports.
 * - `/p/<pad>/export/txt|html|markdown|md|etherpad`, `/p/<pad>/timeslider` (the pad with its
 *   history open), `POST /p/<pad>/import` (multipart `file`: .etherpad into an empty pad, .md or
 *   .txt replacing the content, as the import dialog does).
 *
 * `<pad>` in Etherpad's URLs may be an old name with a stored alias.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { normalizePadId } from '../../common/pad-id.js';
import { ApiError, errorBody } from '../errors.js';
import { ErrorResponse, adminSecurity, errors } from '../http/api-schemas.js';
import { assertAdmin, isAdmin } from '../http/admin-auth.js';
import { padIdParam } from '../http/pads.js';
import type { EtherpadStore } from './etherpad-store.js';
import type { EtherpadExporter } from './exporter.js';
import type { EtherpadImporter } from './importer.js';

export interface EtherpadRoutesOptions {
  store: Pick<EtherpadStore, 'aliasTarget'>;
  importer: EtherpadImporter;
  exporter: EtherpadExporter;
  adminToken: string | null;
  /** Largest .etherpad file accepted, bytes (MAX_ETHERPAD_IMPORT_BYTES). */
  maxImportBytes: number;
  /** May this request write to the pad (its edit key, or none needed)? */
  canWrite(req: FastifyRequest, padId: string): Promise<boolean>;
}

const EXPORTS: Record<string, string> = { txt: 'txt', html: 'html', markdown: 'md', md: 'md' };
const Summary = Type.Object({
  padId: Type.String(),
  revisions: Type.Integer({ description: 'Etherpad revisions imported, each one revision here' }),
  authors: Type.Integer(),
  chatMessages: Type.Integer(),
  savedRevisions: Type.Integer(),
  droppedAttributes: Type.Record(Type.String(), Type.Integer(), {
    description: 'attributes with no equivalent here -> characters (or lines) that carried them',
  }),
});
const tags = ['etherpad'];

/** The pad an Etherpad-style name (a path segment, decoded by the router) leads to: a stored alias, else the name as a pad id. */
export async function resolvePadName(store: Pick<EtherpadStore, 'aliasTarget'>, segment: string): Promise<string | null> {
  return (await store.aliasTarget(segment)) ?? normalizePadId(segment);
}

export async function etherpadRoutes(fastify: FastifyInstance, options: EtherpadRoutesOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tooLarge = `The file is larger than ${Math.round(options.maxImportBytes / 1024 / 1024)} MiB, the most one import may be (MAX_ETHERPAD_IMPORT_BYTES).`;
  app.setErrorHandler((err: { code?: string }, _req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send(errorBody('payload_too_large', tooLarge));
    throw err;
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: options.maxImportBytes }, (_req, body, done) =>
    done(null, body),
  );

  const padOf = async (raw: string): Promise<string> => {
    const padId = await resolvePadName(options.store, raw);
    if (!padId) throw new ApiError('invalidPadId', `"${raw.slice(0, 120)}" is not a valid pad name.`);
    return padId;
  };

  app.post(
    '/api/v1/pads/:padId/import/etherpad',
    {
      bodyLimit: options.maxImportBytes,
      schema: {
        tags,
        summary:
          "Import an .etherpad export (Etherpad's /p/<pad>/export/etherpad) into an empty pad, with its history, authors, chat and saved revisions",
        security: adminSecurity,
        params: Type.Object({ padId: Type.String({ maxLength: 300 }) }),
        querystring: Type.Object({
          throughRevision: Type.Optional(
            Type.Integer({ minimum: 0, description: 'import revisions 0..n only (a file whose later history is corrupt)' }),
          ),
          alias: Type.Optional(
            Type.String({ minLength: 1, maxLength: 300, description: "the pad's old name: /p/<alias> then leads here" }),
          ),
        }),
        response: { 201: Summary, ...errors(400, 401, 403, 409, 413), 422: ErrorResponse },
      },
    },
    async (req, reply) => {
      assertAdmin(req, reply, options.adminToken);
      const padId = padIdParam(req.params.padId);
      const summary = await options.importer.import({
        padId,
        json: req.body,
        scope: { kind: 'admin' },
        throughRevision: req.query.throughRevision,
        alias: req.query.alias,
      });
      return reply.status(201).send(summary);
    },
  );

  app.get(
    '/api/v1/pads/:padId/export.etherpad',
    {
      schema: {
        tags,
        summary: 'The pad as an .etherpad file (one Etherpad revision per revision here) that Etherpad imports',
        params: Type.Object({ padId: Type.String({ maxLength: 300 }) }),
        response: { ...errors(400, 404) },
      },
    },
    async (req, reply) => sendEtherpad(reply, padIdParam(req.params.padId)),
  );

  async function sendEtherpad(reply: FastifyReply, padId: string): Promise<FastifyReply> {
    const file = await options.exporter.export(padId);
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${padId}.etherpad"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(file));
  }

  app.get(
    '/p/:padId/export/:format',
    {
      schema: {
        tags,
        summary: "Etherpad's export URLs: txt, html, markdown (or md), etherpad",
        params: Type.Object({ padId: Type.String({ maxLength: 300 }), format: Type.String({ maxLength: 20 }) }),
      },
    },
    async (req, reply) => {
      const padId = await padOf(req.params.padId);
      if (req.params.format === 'etherpad') return sendEtherpad(reply, padId);
      const ext = EXPORTS[req.params.format];
      if (!ext) throw new ApiError('notFound', `No export "${req.params.format.slice(0, 20)}": use txt, html, markdown or etherpad.`);
      // The same answer as our own export route, headers (CSP, nosniff, attachment) included.
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/pads/${encodeURIComponent(padId)}/export.${ext}?download=1`,
        headers: { cookie: req.headers.cookie ?? '' },
      });
      for (const name of ['content-type', 'content-disposition', 'content-security-policy', 'x-content-type-options', 'cache-control']) {
        const value = res.headers[name];
        if (value !== undefined) reply.header(name, value);
      }
      return reply.status(res.statusCode).send(res.body);
    },
  );

  app.get(
    '/p/:padId/timeslider',
    {
      schema: {
        tags,
        summary: "Etherpad's timeslider URL: the pad page with its history open (at `#<rev>`)",
        params: Type.Object({ padId: Type.String({ maxLength: 300 }) }),
      },
    },
    async (req, reply) => {
      const padId = await padOf(req.params.padId);
      // The browser keeps the `#<rev>` fragment across the redirect; the page opens history there.
      return reply.redirect(`/p/${encodeURIComponent(padId)}?timeslider`, 302);
    },
  );

  app.post(
    '/p/:padId/import',
    {
      schema: {
        tags,
        summary: "Etherpad's import URL: multipart `file` (.etherpad into an empty pad; .md or .txt replace the content)",
        params: Type.Object({ padId: Type.String({ maxLength: 300 }) }),
      },
    },
    async (req, reply) => {
      const padId = await padOf(req.params.padId);
      const type = req.headers['content-type'] ?? '';
      if (!type.toLowerCase().startsWith('multipart/form-data') || !Buffer.isBuffer(req.body)) {
        throw new ApiError('unsupportedMediaType', 'Send the file as multipart/form-data, field "file".');
      }
      let file: File | string | null;
      try {
        file = (await new Response(new Blob([new Uint8Array(req.body)]), { headers: { 'content-type': type } }).formData()).get('file');
      } catch {
        throw new ApiError('badRequest', 'The multipart body could not be read.');
      }
      if (!file || typeof file === 'string') throw new ApiError('badRequest', 'The form has no file in its "file" field.');
      const name = file.name.toLowerCase();
      if (name.endsWith('.etherpad')) {
        const admin = isAdmin(req, options.adminToken);
        if (!admin && !(await options.canWrite(req, padId)))
          throw new ApiError('forbidden', `Pad "${padId}" needs its edit key to make changes (send it as the X-Edit-Key header).`);
        let json: unknown;
        try {
          json = JSON.parse(await file.text());
        } catch {
          throw new ApiError('badRequest', 'The .etherpad file is not JSON.', 'not_etherpad_export');
        }
        const summary = await options.importer.import({ padId, json, scope: admin ? { kind: 'admin' } : { kind: 'pad', padId } });
        return reply.status(201).send(summary);
      }
      const textType = /\.(md|markdown)$/.test(name) ? 'text/markdown' : name.endsWith('.txt') ? 'text/plain' : null;
      if (!textType) throw new ApiError('unsupportedMediaType', 'Import an .etherpad, .md or .txt file.');
      // Through our own content route: the same limits, parsing and access checks.
      const headers: Record<string, string> = { 'content-type': `${textType}; charset=utf-8` };
      for (const name of ['cookie', 'x-edit-key', 'authorization']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const res = await app.inject({
        method: 'PUT',
        url: `/api/v1/pads/${encodeURIComponent(padId)}/content`,
        headers,
        payload: await file.text(),
      });
      return reply.status(res.statusCode).header('content-type', 'application/json; charset=utf-8').send(res.body);
    },
  );
}
