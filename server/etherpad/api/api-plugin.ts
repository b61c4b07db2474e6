/**
 * The Etherpad-compatible HTTP API: `GET /api` -> `{"currentVersion":"1.3.0"}`, and every
 * function under `/api/<version>/<function>` for Etherpad's versions 1 to 1.3.0, by GET (query)
 * or POST (query, form or JSON body). The key is `apikey` or `api_key` (or `Authorization:
 * Bearer`), equal to ADMIN_TOKEN. Answers are Etherpad's envelope `{code, message, data}`: 0 ok,
 * 1 bad parameters or no such pad (HTTP 200), 2 internal (500), 3 no such function or version
 * (404), 4 no or wrong key (401). Every function answers under every version (Etherpad itself
 * answers 3 for functions newer than the version asked for). docs/api.md has the table.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { bearerToken, tokensMatch } from '../../http/admin-auth.js';
import { writeLimitAfterBody } from '../../http/write-limits.js';
import type { Logger } from '../../sync/types.js';
import { ApiCode, EtherpadApiError, HTTP_STATUS, type ApiCodeValue, type Envelope } from './api-error.js';
import type { ApiContext, ApiFunction, Args } from './api-context.js';
import { historyFunctions } from './history-functions.js';
import { padFunctions } from './pad-functions.js';
import { peopleFunctions } from './people-functions.js';
import { UNSUPPORTED } from './unsupported.js';

export const CURRENT_VERSION = '1.3.0';
export const API_VERSIONS = [
  '1',
  '1.1',
  '1.2',
  '1.2.1',
  '1.2.7',
  '1.2.8',
  '1.2.9',
  '1.2.10',
  '1.2.11',
  '1.2.12',
  '1.2.13',
  '1.2.14',
  '1.2.15',
  '1.3.0',
] as const;

export const FUNCTIONS: Readonly<Record<string, ApiFunction>> = { ...padFunctions, ...historyFunctions, ...peopleFunctions };

export interface EtherpadApiOptions {
  context: ApiContext;
  adminToken: string | null;
  logger: Logger;
}

const send = (reply: FastifyReply, code: ApiCodeValue, message: string, data: unknown = null) =>
  reply
    .status(HTTP_STATUS[code])
    .header('cache-control', 'no-store')
    .send({ code, message, data } satisfies Envelope);

/** Query and body merged, as strings (Etherpad receives every argument as a string). */
function argsOf(req: FastifyRequest): Args {
  const args: Record<string, string> = {};
  for (const source of [req.query, req.body]) {
    if (typeof source !== 'object' || source === null || Array.isArray(source)) continue;
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      if (typeof value === 'string') args[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') args[key] = String(value);
    }
  }
  return args;
}

export async function etherpadApi(app: FastifyInstance, options: EtherpadApiOptions): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    // Refused before the call (a cross-site POST, the write limit): that status, in the envelope.
    if (err instanceof ApiError && err.status < 500)
      return reply
        .status(err.status)
        .header('cache-control', 'no-store')
        .send({ code: ApiCode.badInput, message: err.message, data: null } satisfies Envelope);
    if ((err.statusCode ?? 500) < 500) return send(reply, ApiCode.badInput, err.message);
    req.log.error({ err }, 'Etherpad API call failed');
    return send(reply, ApiCode.internal, 'internal error');
  });

  app.get('/api', { schema: { hide: true } }, async () => ({ currentVersion: CURRENT_VERSION }));

  /** True if the call carries ADMIN_TOKEN where Etherpad looks for its key. */
  const keyMatches = (req: FastifyRequest, args: Args): boolean => {
    const given = args.apikey ?? args.api_key ?? bearerToken(req.headers.authorization) ?? args.authorization;
    return options.adminToken !== null && given !== undefined && given !== null && tokensMatch(given, options.adminToken);
  };

  const handler = async (req: FastifyRequest<{ Params: { version: string; fn: string } }>, reply: FastifyReply) => {
    const { version, fn } = req.params;
    if (!(API_VERSIONS as readonly string[]).includes(version)) return send(reply, ApiCode.noSuchFunction, 'no such api version');
    const args = argsOf(req);
    const unsupported = UNSUPPORTED[fn];
    const call = Object.hasOwn(FUNCTIONS, fn) ? FUNCTIONS[fn] : undefined;
    if (!call && !unsupported) return send(reply, ApiCode.noSuchFunction, 'no such function');
    if (!keyMatches(req, args)) {
      return send(
        reply,
        ApiCode.noApiKey,
        options.adminToken === null ? 'no or wrong API Key (the API is off: ADMIN_TOKEN is not set)' : 'no or wrong API Key',
      );
    }
    if (!call) return send(reply, ApiCode.noSuchFunction, `${fn} ${unsupported}`);
    try {
      return send(reply, ApiCode.ok, 'ok', await call(args, options.context));
    } catch (err) {
      if (err instanceof EtherpadApiError) return send(reply, err.code, err.message);
      // Our own errors (a revision that is not there, a pad too big, ...) are the caller's to fix.
      if (err instanceof ApiError && err.status < 500) return send(reply, ApiCode.badInput, err.message);
      options.logger.error({ err, fn }, 'Etherpad API call failed');
      return send(reply, ApiCode.internal, 'internal error');
    }
  };
  const schema = { hide: true };
  app.get('/api/:version/:fn', { schema }, handler);
  // Calls with the key are admin calls, not counted by the write limit; the key may be in the body.
  app.post('/api/:version/:fn', { schema, config: writeLimitAfterBody((req) => keyMatches(req, argsOf(req))) }, handler);
}
