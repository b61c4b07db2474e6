/**
 * Answers for requests that never reach a route: refused by Node's HTTP parser (headers too
 * large: 431; an unknown method or garbage: 501/400; too slow: 408) or by Fastify's router (a
 * path parameter over `maxParamLength`: 414; bad percent-encoding: 400). They get the same
 * JSON error shape, CSP and `nosniff` as every other answer; Fastify's defaults sent bare
 * bodies without them (helmet's hooks never run for these).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorCode, errorBody, type ErrorKind } from '../errors.js';

/** For answers that carry no page: nothing may load or run, nothing is sniffed. */
export const SAFE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** Fastify's `frameworkErrors` option: router-level refusals. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const [kind, message]: [ErrorKind, string] =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? ['uriTooLong', 'The address is too long.']
      : ['badRequest', 'The address is not valid (bad percent-encoding).'];
  reply.status(ErrorCode[kind].status).headers(SAFE_HEADERS).send(errorBody(ErrorCode[kind].code, message));
}

const PARSER_REFUSALS: Readonly<Record<string, [ErrorKind, string]>> = {
  HPE_HEADER_OVERFLOW: ['headersTooLarge', 'The request headers are too large.'],
  HPE_INVALID_METHOD: ['notImplemented', 'The server does not know this HTTP method.'],
  ERR_HTTP_REQUEST_TIMEOUT: ['requestTimeout', 'The request took too long to arrive.'],
};

/** Fastify's `clientErrorHandler` option: what Node's parser refused, written to the socket. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [kind, message] = PARSER_REFUSALS[err.code ?? ''] ?? ['badRequest', 'The request could not be read.'];
  const { status, code } = ErrorCode[kind];
  const body = JSON.stringify(errorBody(code, message));
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...SAFE_HEADERS,
    connection: 'close',
  };
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n')}\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
