/**
 * Who wrote each part of a document: every visible character belongs to the Yjs item that
 * inserted it, whose client id was attributed (by the history index) to the author of the first
 * committed update carrying that client's structs. Works on the live doc: visible items are
 * never garbage-collected.
 */
import * as Y from 'yjs';
import type { AuthorSpanT } from '../../common/history-schemas.js';
import { forEachString } from '../../common/yjs-items.js';

/**
 * Spans in document order, each with the author `clients` gives the inserting client (null for a
 * client not indexed yet); text blocks are separated by a '\n' span with author null.
 */
export function authorSpans(fragment: Y.XmlFragment, clients: ReadonlyMap<number, string>): AuthorSpanT[] {
  const spans: AuthorSpanT[] = [];
  let first = true;
  const push = (author: string | null, text: string): void => {
    const last = spans[spans.length - 1];
    if (last && last.author === author) last.text += text;
    else spans.push({ author, text });
  };
  const walk = (type: Y.XmlFragment | Y.XmlElement): void => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText) {
        if (!first) push(null, '\n');
        first = false;
        forEachString(child, (str, client) => push(clients.get(client) ?? null, str));
      } else if (child instanceof Y.XmlElement) {
        walk(child);
      }
    }
  };
  walk(fragment);
  return spans;
}
