/** What one Yjs update contains, for revision sizes and client-id authorship. */
import * as Y from 'yjs';

export interface UpdateStats {
  /** Client ids whose structs the update carries. */
  clients: number[];
  /** Countable content inserted: characters, embeds and nested types. */
  inserted: number;
  /** Length of the ranges the update deletes. */
  deleted: number;
}

export function updateStats(update: Uint8Array): UpdateStats {
  const { structs, ds } = Y.decodeUpdate(update);
  const clients = new Set<number>();
  let inserted = 0;
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    clients.add(struct.id.client);
    if (struct.content.isCountable()) inserted += struct.length;
  }
  let deleted = 0;
  for (const items of ds.clients.values()) for (const item of items) deleted += item.len;
  return { clients: Array.from(clients), inserted, deleted };
}
