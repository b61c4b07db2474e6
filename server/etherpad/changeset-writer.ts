/**
 * Writes Etherpad changesets and atexts for an export, in the canonical form Etherpad's own
 * import checks (`Pad.check`: `checkRep`, sorted attribute lists, key revisions compared as
 * strings):
 *
 * - attribute lists sorted by key;
 * - between two keeps, all deletes before all inserts;
 * - consecutive ops of the same kind and attributes merged, then split after their last
 *   newline (`|n` on the part that ends with it, the rest on its own);
 * - a trailing keep without attributes left out.
 *
 * A revision's changeset is a character diff from the previous atext to the target lines:
 * inserted characters carry the revision's author, kept ones keep theirs and change only the
 * attributes that differ.
 */
import { createRequire } from 'node:module';
import { AttribPool, AttribTable, applyChangeset, type AText, type AttribSet, type Run } from './atext.js';
import { countNewlines, formatChangeset, parseChangeset, type Op } from './changeset.js';
import type { ContentLine, Pair } from './document-lines.js';

const diffSequences = (createRequire(import.meta.url)('diff-sequences') as { default: typeof import('diff-sequences').default }).default;

/** Attribute numbers, handed out as first needed; becomes the export's `pool`. */
export class PoolWriter {
  private readonly numbers = new Map<string, number>();
  readonly pairs: Pair[] = [];

  /** Starts from an existing pool's numbering (`pairs[i]` is attribute i). */
  constructor(pairs: readonly Pair[] = []) {
    for (const pair of pairs) this.num(pair);
  }

  num(pair: Pair): number {
    const key = `${pair[0]}\u0000${pair[1]}`;
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.pairs.length;
      this.numbers.set(key, n);
      this.pairs.push(pair);
    }
    return n;
  }

  /** Sorted by key, as Etherpad writes attribute lists. */
  nums(pairs: Iterable<Pair>): number[] {
    return Array.from(pairs)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map((p) => this.num(p));
  }

  /** As an AttribPool, to apply what was written with the reader's code. */
  toPool(): AttribPool {
    return AttribPool.fromPairs(this.pairs);
  }

  toJson(): { numToAttrib: Record<string, Pair>; attribToNum: Record<string, number>; nextNum: number } {
    return {
      numToAttrib: Object.fromEntries(this.pairs.map((p, i) => [String(i), p])),
      attribToNum: Object.fromEntries(this.pairs.map((p, i) => [`${p[0]},${p[1]}`, i])),
      nextNum: this.pairs.length,
    };
  }
}

export interface RawOp {
  code: Op['code'];
  text: string;
  attribs: number[];
}

/** Merges and splits raw ops into Etherpad's canonical op list. */
export function canonicalOps(raw: RawOp[]): Op[] {
  // Deletes before inserts between keeps.
  const ordered: RawOp[] = [];
  let deletes: RawOp[] = [];
  let inserts: RawOp[] = [];
  const flush = () => {
    ordered.push(...deletes, ...inserts);
    deletes = [];
    inserts = [];
  };
  for (const op of raw) {
    if (op.text.length === 0) continue;
    if (op.code === '-') deletes.push(op);
    else if (op.code === '+') inserts.push(op);
    else {
      flush();
      ordered.push(op);
    }
  }
  flush();
  const merged: RawOp[] = [];
  for (const op of ordered) {
    const last = merged[merged.length - 1];
    if (last && last.code === op.code && last.attribs.join() === op.attribs.join()) last.text += op.text;
    else merged.push({ ...op });
  }
  while (merged.length > 0 && merged[merged.length - 1].code === '=' && merged[merged.length - 1].attribs.length === 0) merged.pop();
  const ops: Op[] = [];
  for (const op of merged) {
    const lastNewline = op.text.lastIndexOf('\n');
    if (lastNewline >= 0) ops.push({ code: op.code, chars: lastNewline + 1, lines: countNewlines(op.text), attribs: op.attribs });
    if (lastNewline + 1 < op.text.length)
      ops.push({ code: op.code, chars: op.text.length - lastNewline - 1, lines: 0, attribs: op.attribs });
  }
  return ops;
}

/** An atext's `attribs` string, canonical. */
export function atextAttribs(atext: AText, pool: PoolWriter): string {
  const raw: RawOp[] = [];
  let pos = 0;
  for (const run of atext.runs) {
    raw.push({ code: '+', text: atext.text.slice(pos, pos + run.length), attribs: pool.nums(run.attribs.entries) });
    pos += run.length;
  }
  return canonicalOps(raw)
    .map(
      (op) =>
        `${op.attribs.map((n) => `*${n.toString(36)}`).join('')}${op.lines > 0 ? `|${op.lines.toString(36)}` : ''}+${op.chars.toString(36)}`,
    )
    .join('');
}

/** The target of a revision as text and runs of content attributes (no author). */
function flatten(lines: ContentLine[], table: AttribTable): { text: string; runs: Run[] } {
  let text = '';
  const runs: Run[] = [];
  const push = (length: number, attribs: AttribSet) => {
    const last = runs[runs.length - 1];
    if (last && last.attribs === attribs) last.length += length;
    else if (length > 0) runs.push({ length, attribs });
  };
  for (const line of lines) {
    if (line.lineAttribs.length > 0) {
      text += '*';
      push(1, table.of([...line.lineAttribs, ['insertorder', 'first'], ['lmkr', '1']]));
    }
    text += line.text;
    for (const run of line.runs) push(run.length, table.of(run.attribs));
    text += '\n';
    push(1, table.empty);
  }
  return { text, runs };
}

/** Writes one revision after another, keeping the atext they build. */
export class ChangesetWriter {
  readonly table = new AttribTable();
  atext: AText = { text: '\n', runs: [{ length: 1, attribs: this.table.empty }] };
  private readonly contentOf = new Map<AttribSet, AttribSet>();

  constructor(readonly pool: PoolWriter) {}

  /** The changeset from the current atext to `lines`, by `author` (an Etherpad id, '' for none); advances the atext. */
  write(lines: ContentLine[], author: string): string {
    const target = flatten(lines, this.table);
    const before = this.atext;
    const raw: RawOp[] = [];
    const oldRuns = new RunCursor(before.runs);
    const newRuns = new RunCursor(target.runs);
    const keep = (n: number) => {
      let offset = 0;
      while (offset < n) {
        const [oldLen, oldAttribs] = oldRuns.peek();
        const [newLen, newAttribs] = newRuns.peek();
        const k = Math.min(oldLen, newLen, n - offset);
        const text = before.text.slice(oldRuns.pos, oldRuns.pos + k);
        raw.push({ code: '=', text, attribs: this.changes(oldAttribs, newAttribs) });
        oldRuns.advance(k);
        newRuns.advance(k);
        offset += k;
      }
    };
    const remove = (n: number) => {
      raw.push({ code: '-', text: before.text.slice(oldRuns.pos, oldRuns.pos + n), attribs: [] });
      oldRuns.advance(n);
    };
    const insert = (n: number) => {
      let offset = 0;
      while (offset < n) {
        const [newLen, newAttribs] = newRuns.peek();
        const k = Math.min(newLen, n - offset);
        const pairs: Pair[] = [...newAttribs.entries];
        if (author) pairs.push(['author', author]);
        raw.push({ code: '+', text: target.text.slice(newRuns.pos, newRuns.pos + k), attribs: this.pool.nums(pairs) });
        newRuns.advance(k);
        offset += k;
      }
    };
    for (const segment of alignTexts(before.text, target.text)) {
      if (segment.kind === 'keep') keep(segment.length);
      else if (segment.kind === 'delete') remove(segment.length);
      else insert(segment.length);
    }
    const ops = canonicalOps(raw);
    const charBank =
      ops.length === 0
        ? ''
        : raw
            .filter((op) => op.code === '+')
            .map((op) => op.text)
            .join('');
    const changeset = formatChangeset({ oldLen: before.text.length, newLen: target.text.length, ops, charBank });
    // Applied with the reader's own checks: what an export writes must read back.
    this.atext = applyChangeset(before, parseChangeset(changeset), this.pool.toPool(), this.table);
    if (this.atext.text !== target.text) throw new Error('an exported changeset does not reproduce its revision');
    return changeset;
  }

  /** Attribute changes that turn a kept character's attributes into the target's (author untouched). */
  private changes(old: AttribSet, target: AttribSet): number[] {
    const content = this.content(old);
    if (content === target) return [];
    const pairs: Pair[] = [];
    for (const [key, value] of target.entries) if (content.entries.get(key) !== value) pairs.push([key, value]);
    for (const key of content.entries.keys()) if (!target.entries.has(key)) pairs.push([key, '']);
    return this.pool.nums(pairs);
  }

  private content(set: AttribSet): AttribSet {
    let content = this.contentOf.get(set);
    if (!content) {
      content = this.table.of(Array.from(set.entries).filter(([key]) => key !== 'author'));
      this.contentOf.set(set, content);
    }
    return content;
  }
}

class RunCursor {
  pos = 0;
  private index = 0;
  private offset = 0;
  constructor(private readonly runs: Run[]) {}

  peek(): [number, AttribSet] {
    const run = this.runs[this.index];
    return [run.length - this.offset, run.attribs];
  }

  advance(n: number): void {
    this.pos += n;
    while (n > 0) {
      const run = this.runs[this.index];
      const k = Math.min(run.length - this.offset, n);
      this.offset += k;
      n -= k;
      if (this.offset === run.length) {
        this.index += 1;
        this.offset = 0;
      }
    }
  }
}

type Segment = { kind: 'keep' | 'delete' | 'insert'; length: number };

/**
 * Keeps, deletes and inserts that turn `a` into `b`, the way people edit: lines are aligned
 * first (a Myers diff of whole lines), then each changed line paired with its replacement keeps
 * its common start and end. A character-level diff of the whole text instead keeps stray
 * matching letters, which scatters authorship.
 */
function alignTexts(a: string, b: string): Segment[] {
  const segments: Segment[] = [];
  const push = (kind: Segment['kind'], length: number) => {
    if (length <= 0) return;
    const last = segments[segments.length - 1];
    if (last && last.kind === kind) last.length += length;
    else segments.push({ kind, length });
  };
  const linesA = a.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const linesB = b.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let ai = 0;
  let bi = 0;
  const changed = (aEnd: number, bEnd: number) => {
    const pairs = Math.min(aEnd - ai, bEnd - bi);
    for (let k = 0; k < pairs; k += 1) {
      const x = linesA[ai + k];
      const y = linesB[bi + k];
      let prefix = 0;
      const max = Math.min(x.length, y.length);
      while (prefix < max && x.charCodeAt(prefix) === y.charCodeAt(prefix)) prefix += 1;
      let suffix = 0;
      while (suffix < max - prefix && x.charCodeAt(x.length - 1 - suffix) === y.charCodeAt(y.length - 1 - suffix)) suffix += 1;
      push('keep', prefix);
      push('delete', x.length - prefix - suffix);
      push('insert', y.length - prefix - suffix);
      push('keep', suffix);
    }
    for (let k = ai + pairs; k < aEnd; k += 1) push('delete', linesA[k].length);
    for (let k = bi + pairs; k < bEnd; k += 1) push('insert', linesB[k].length);
    ai = aEnd;
    bi = bEnd;
  };
  diffSequences(
    linesA.length,
    linesB.length,
    (i, j) => linesA[i] === linesB[j],
    (n, i, j) => {
      changed(i, j);
      for (let k = 0; k < n; k += 1) push('keep', linesA[i + k].length);
      ai = i + n;
      bi = j + n;
    },
  );
  changed(linesA.length, linesB.length);
  return segments;
}
