/**
 * A document's bytes as the history worker takes them (history-work.ts `DocSource`): an
 * optional full state and the updates after it, packed end to end in one buffer of their own
 * so that handing them over is a move, not a copy of each row's buffer.
 */
import type { DocSource } from './history-work.js';

export function packSource(base: Uint8Array | null, updates: readonly { data: Uint8Array }[]): DocSource {
  let total = 0;
  for (const update of updates) total += update.data.byteLength;
  const packed = new Uint8Array(total);
  const lengths = new Uint32Array(updates.length);
  let offset = 0;
  updates.forEach((update, i) => {
    packed.set(update.data, offset);
    offset += update.data.byteLength;
    lengths[i] = update.data.byteLength;
  });
  return { base, updates: packed, lengths };
}
