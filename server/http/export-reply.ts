/**
 * How exports are sent (the pad's and any revision's markdown, HTML and text, and recaps): as
 * their own content type, with `X-Content-Type-Options: nosniff` and a CSP under which nothing
 * in them can run or load (`default-src 'none'`, only the export's own style), and as an
 * attachment when a file name is given.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { HTML_STYLE } from '../../common/markdown/pad-html.js';

export const EXPORT_FORMATS = {
  md: { type: 'text/markdown; charset=utf-8', summary: 'markdown (GitHub flavoured)' },
  html: { type: 'text/html; charset=utf-8', summary: 'a standalone HTML document' },
  txt: { type: 'text/plain; charset=utf-8', summary: 'plain text' },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

const STYLE_HASH = `'sha256-${createHash('sha256').update(HTML_STYLE).digest('base64')}'`;
export const EXPORT_CSP = `default-src 'none'; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function sendExport(reply: FastifyReply, format: ExportFormat, body: string, downloadName: string | null): FastifyReply {
  reply
    .header('content-type', EXPORT_FORMATS[format].type)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', EXPORT_CSP)
    .header('cache-control', 'no-store');
  if (downloadName) reply.header('content-disposition', `attachment; filename="${downloadName}"`);
  return reply.send(body);
}
