/**
 * The items of a Yjs type, which Yjs (13.6) has no public API to walk: a type's list content is
 * a linked list from its `_start`, its map entries are the values of its `_map`. Authorship and
 * line times read who inserted each character (an item's id); a pad reset deletes every item.
 * In one place, with a contract test (tests/unit/yjs-items.test.ts) that fails if an upgrade
 * of Yjs changes these fields.
 */
import * as Y from 'yjs';

interface TypeInternals {
  _start: Y.Item | null;
  _map: Map<string, Y.Item>;
}

/** Every item `type` holds directly, deleted ones included: its list content in order, then its map entries. */
export function forEachItem<T>(type: Y.AbstractType<T>, visit: (item: Y.Item) => void): void {
  const internals = type as unknown as TypeInternals;
  for (let item = internals._start; item !== null; item = item.right) visit(item);
  for (const item of internals._map.values()) visit(item);
}

/**
 * The visible strings of a text, in order, each with the id of its first character (the next
 * characters have the next clocks of the same client).
 */
export function forEachString(text: Y.XmlText | Y.Text, visit: (str: string, client: number, clock: number) => void): void {
  for (let item = (text as unknown as TypeInternals)._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
    visit(item.content.str, item.id.client, item.id.clock);
  }
}
