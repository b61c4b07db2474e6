/** Which pad the pad page's address names: `/p/<padId>` or a read-only `/r/<readOnlyId>`. */

const PAD_PATH = /^\/p\/([^/]+)\/?$/;
const READ_ONLY_PATH = /^\/r\/(r\.[A-Za-z2-7]{26})\/?$/;

/** The raw pad id segment of `/p/<padId>`, or '' when the path has another shape. */
export function padSegment(pathname: string): string {
  const match = PAD_PATH.exec(pathname);
  return match ? match[1] : '';
}

/** The read-only id of a `/r/<readOnlyId>` path (lowercased), or null for other paths. */
export function readOnlyIdFromPath(pathname: string): string | null {
  const match = READ_ONLY_PATH.exec(pathname);
  return match ? match[1].toLowerCase() : null;
}
