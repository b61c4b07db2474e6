/** Shared pieces of route schemas for the events API: the error body and common params. */
import { Type } from 'typebox';

export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { description: 'what went wrong' },
);

/** Error responses for a route, for the OpenAPI document. */
export function errors(...statuses: (400 | 401 | 403 | 404 | 409 | 413)[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
}

/** Path params are checked by slugParam (lowercased, 400 with a helpful message), not here. */
const PathSegment = Type.String({ maxLength: 300 });
export const EventParams = Type.Object({ event: PathSegment });
export const TeamParams = Type.Object({ event: PathSegment, team: PathSegment });
export const PadParams = Type.Object({ event: PathSegment, team: PathSegment, padId: PathSegment });
export const PadIdParams = Type.Object({ padId: PathSegment });

export const adminSecurity = [{ admin: [] }];
