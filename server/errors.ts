/**
 * Every error the HTTP API can return, with its code and status, in one place. Routes throw
 * `ApiError`; the error handler turns it (and Fastify's own validation and size errors) into
 * `{"error": {"code", "message"}}`, never a stack trace.
 */
export const ErrorCode = {
  badRequest: { status: 400, code: 'bad_request' },
  invalidPadId: { status: 400, code: 'invalid_pad_id' },
  unauthorized: { status: 401, code: 'unauthorized' },
  forbidden: { status: 403, code: 'forbidden' },
  notFound: { status: 404, code: 'not_found' },
  padNotFound: { status: 404, code: 'pad_not_found' },
  conflict: { status: 409, code: 'conflict' },
  requestTimeout: { status: 408, code: 'request_timeout' },
  payloadTooLarge: { status: 413, code: 'payload_too_large' },
  uriTooLong: { status: 414, code: 'uri_too_long' },
  unsupportedMediaType: { status: 415, code: 'unsupported_media_type' },
  unprocessable: { status: 422, code: 'unprocessable_content' },
  tooManyRequests: { status: 429, code: 'too_many_requests' },
  headersTooLarge: { status: 431, code: 'headers_too_large' },
  internal: { status: 500, code: 'internal_error' },
  notImplemented: { status: 501, code: 'not_implemented' },
  unavailable: { status: 503, code: 'unavailable' },
  /** A full disk, an I/O error, an unreachable database (server/store/storage-errors.ts). */
  storageUnavailable: { status: 503, code: 'storage_unavailable' },
} as const;
export type ErrorKind = keyof typeof ErrorCode;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  /** `code` refines the kind's code where a caller needs to tell causes apart (an import's `corrupt_revision`). */
  constructor(kind: ErrorKind, message: string, code?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = ErrorCode[kind].status;
    this.code = code ?? ErrorCode[kind].code;
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}
