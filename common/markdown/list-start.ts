/**
 * The first number of an ordered list as exports write it. The attribute comes from the Y.Doc,
 * where any client may have put anything (a string, NaN, a fraction): exports wrote "NaN."
 * for those. Markdown allows 0 to 999,999,999; anything else starts at 1.
 */
export function listStart(attrs: Record<string, unknown> | undefined): number {
  const start = attrs?.start;
  return typeof start === 'number' && Number.isInteger(start) && start >= 0 && start <= 999_999_999 ? start : 1;
}
