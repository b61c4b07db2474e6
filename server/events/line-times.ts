/**
 * When each line of a pad was written, from its history: every character is a Yjs item whose
 * id (client, clock) was first sent in one committed update of the log, at that update's time.
 * A line's time is the median of its characters' times (the moment half of it had been
 * written), so a later typo fix does not move it. Characters whose update is no longer in the
 * log (history compacted, or not yet committed) have no time; a line most of whose characters
 * have none has none either.
 */
import * as Y from 'yjs';
import { TEXTBLOCKS } from '../../common/markdown/inline-lines.js';
import type { LineTimes } from '../../common/markdown/recap-sessions.js';
import { forEachString } from '../../common/yjs-items.js';

interface Range {
  clock: number;
  end: number;
  time: number;
}

/** The commit time of each (client, clock) range seen in a pad's log. */
export class WriteTimes {
  private readonly byClient = new Map<number, Range[]>();
  private sorted = true;

  /** Records the structs of one committed update, written at `time` (Unix ms). */
  add(update: Uint8Array, time: number): void {
    for (const struct of Y.decodeUpdate(update).structs) {
      if (!(struct instanceof Y.Item)) continue;
      let ranges = this.byClient.get(struct.id.client);
      if (!ranges) this.byClient.set(struct.id.client, (ranges = []));
      const last = ranges[ranges.length - 1];
      if (last && last.clock > struct.id.clock) this.sorted = false;
      ranges.push({ clock: struct.id.clock, end: struct.id.clock + struct.length, time });
    }
  }

  /** The time the item `client`/`clock` was committed, or null if no logged update holds it. */
  timeOf(client: number, clock: number): number | null {
    if (!this.sorted) {
      for (const ranges of this.byClient.values()) ranges.sort((a, b) => a.clock - b.clock);
      this.sorted = true;
    }
    const ranges = this.byClient.get(client);
    if (!ranges) return null;
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = ranges[mid];
      if (clock < r.clock) hi = mid - 1;
      else if (clock >= r.end) lo = mid + 1;
      else return r.time;
    }
    return null;
  }
}

/**
 * Per textblock of `fragment` (depth first, as recap-sessions.ts expects), when each of its
 * lines was written: lines split at inline elements (hard breaks), and at newlines in code.
 */
export function lineTimesOf(fragment: Y.XmlFragment, writes: WriteTimes): LineTimes {
  const out: LineTimes = [];
  const walk = (parent: Y.XmlFragment | Y.XmlElement): void => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (TEXTBLOCKS.has(child.nodeName)) out.push({ type: child.nodeName, lines: textblockTimes(child, writes) });
      else walk(child);
    }
  };
  walk(fragment);
  return out;
}

function textblockTimes(block: Y.XmlElement, writes: WriteTimes): (number | null)[] {
  const splitAtNewlines = block.nodeName === 'codeBlock';
  const lines: Map<number | null, number>[] = [new Map()];
  for (const child of block.toArray()) {
    if (child instanceof Y.XmlElement) {
      lines.push(new Map());
      continue;
    }
    if (!(child instanceof Y.XmlText)) continue;
    forEachString(child, (str, client, clock) => {
      for (let k = 0; k < str.length; k += 1) {
        if (splitAtNewlines && str[k] === '\n') {
          lines.push(new Map());
          continue;
        }
        const time = writes.timeOf(client, clock + k);
        const line = lines[lines.length - 1];
        line.set(time, (line.get(time) ?? 0) + 1);
      }
    });
  }
  return lines.map(medianTime);
}

/** The time by which half of the line's characters were written; null if half have no time. */
function medianTime(counts: Map<number | null, number>): number | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0 || (counts.get(null) ?? 0) * 2 >= total) return null;
  const known = Array.from(counts)
    .filter((e): e is [number, number] => e[0] !== null)
    .sort((a, b) => a[0] - b[0]);
  const half = known.reduce((n, [, c]) => n + c, 0) / 2;
  let seen = 0;
  for (const [time, n] of known) {
    seen += n;
    if (seen >= half) return time;
  }
  return null;
}
