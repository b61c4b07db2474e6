/**
 * For a failing co-editing run: in which revision each lost word disappeared from the pad, and
 * whose edit that revision was (the server's history, one revision per author and pause).
 */
import type { RevisionListT } from '../../common/history-schemas.js';

export async function whoRemoved(baseUrl: string, padId: string, words: readonly string[]): Promise<string[]> {
  if (words.length === 0) return [];
  const list = (await (await fetch(`${baseUrl}/api/v1/pads/${padId}/revisions?limit=5000`)).json()) as RevisionListT;
  const texts: string[] = [];
  for (const revision of list.revisions) {
    texts.push(await (await fetch(`${baseUrl}/api/v1/pads/${padId}/revisions/${revision.rev}/export.txt`)).text());
  }
  const has = (text: string, word: string) => text.split(/\s+/).includes(word);
  return words.map((word) => {
    const first = texts.findIndex((text) => has(text, word));
    if (first < 0) return `"${word}" never reached the server's history`;
    const gone = texts.findIndex((text, i) => i > first && !has(text, word));
    if (gone < 0) return `"${word}" is in the last revision`;
    const revision = list.revisions[gone];
    return `"${word}" was there from revision ${list.revisions[first].rev} and went in revision ${revision.rev}, by ${revision.authors.map((a) => a.name).join(', ')}`;
  });
}
