/**
 * The Etherpad HTTP API's answers: `{code, message, data}` with Etherpad's codes and the HTTP
 * status Etherpad gives each.
 */
export const ApiCode = {
  ok: 0,
  /** Bad parameters, no such pad (HTTP 200, as in Etherpad). */
  badInput: 1,
  internal: 2,
  noSuchFunction: 3,
  noApiKey: 4,
} as const;
export type ApiCodeValue = (typeof ApiCode)[keyof typeof ApiCode];

export const HTTP_STATUS: Record<ApiCodeValue, number> = { 0: 200, 1: 200, 2: 500, 3: 404, 4: 401 };

export interface Envelope {
  code: ApiCodeValue;
  message: string;
  data: unknown;
}

/** An answer other than ok; `message` is what Etherpad would say, or ours where we differ. */
export class EtherpadApiError extends Error {
  constructor(
    readonly code: Exclude<ApiCodeValue, 0>,
    message: string,
  ) {
    super(message);
    this.name = 'EtherpadApiError';
  }
}

/** Code 1: a parameter is wrong or names nothing. */
export const badInput = (message: string) => new EtherpadApiError(ApiCode.badInput, message);
