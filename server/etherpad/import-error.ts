/**
 * Why an Etherpad import was refused: 400 when the file is not an export of one pad, 409 when
 * the target pad already has content, 422 when its history does not replay (the revision is
 * named). Nothing is stored in any of these cases.
 */
export class ImportError extends Error {
  constructor(
    readonly status: 400 | 409 | 413 | 422,
    readonly code: string,
    message: string,
    /** The Etherpad revision that failed, when one did. */
    readonly revision: number | null = null,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
