/**
 * Etherpad's attributed text ("atext"): the pad's text plus, for every character, a set of
 * attributes (`bold=true`, `author=a.x`, `list=bullet1`, ...). Held as runs of equal attribute
 * sets, which are interned so that equal sets are the same object. Applying a changeset checks
 * it against the text as Etherpad does (lengths, newline counts), so a corrupt revision fails
 * with the reason instead of producing garbage.
 */
import { ChangesetError, countNewlines, formatAttribs, parseOps, type Changeset, type Op } from './changeset.js';

/** An immutable attribute set, key -> value, without empty values. Interned by `AttribTable`. */
export interface AttribSet {
  /** Canonical form (sorted by key), equal for equal sets. */
  readonly id: string;
  readonly entries: ReadonlyMap<string, string>;
}

export interface Run {
  length: number;
  attribs: AttribSet;
}

export interface AText {
  text: string;
  runs: Run[];
}

/** A pad's attribute pool: attribute number -> [key, value]. */
export class AttribPool {
  private readonly attribs = new Map<number, readonly [string, string]>();

  /** From the export's `pool.numToAttrib`; entries that are not [string, string] are refused. */
  static fromJson(value: unknown, where: string): AttribPool {
    const pool = new AttribPool();
    const numToAttrib = (value as { numToAttrib?: unknown } | null)?.numToAttrib;
    if (typeof numToAttrib !== 'object' || numToAttrib === null)
      throw new ChangesetError(`${where} has no attribute pool (pool.numToAttrib)`);
    for (const [num, attrib] of Object.entries(numToAttrib)) {
      if (!/^\d+$/.test(num) || !Array.isArray(attrib) || typeof attrib[0] !== 'string' || typeof attrib[1] !== 'string') {
        throw new ChangesetError(`${where} has a malformed pool entry ${JSON.stringify(num).slice(0, 20)}`);
      }
      pool.attribs.set(Number(num), [attrib[0], attrib[1]]);
    }
    return pool;
  }

  /** A pool of these attributes, numbered from 0 in this order. */
  static fromPairs(pairs: readonly (readonly [string, string])[]): AttribPool {
    const pool = new AttribPool();
    pairs.forEach((pair, i) => pool.attribs.set(i, pair));
    return pool;
  }

  get(num: number): readonly [string, string] {
    const attrib = this.attribs.get(num);
    if (!attrib) throw new ChangesetError(`attribute *${num.toString(36)} is not in the pool`);
    return attrib;
  }

  entries(): IterableIterator<[number, readonly [string, string]]> {
    return this.attribs.entries();
  }
}

/** Interns attribute sets and caches how a changeset's attributes transform them. */
export class AttribTable {
  private readonly sets = new Map<string, AttribSet>();
  private readonly applied = new Map<string, AttribSet>();
  readonly empty: AttribSet = this.intern(new Map());

  /** The set of `pairs`; later pairs win, empty values are left out. */
  of(pairs: Iterable<readonly [string, string]>): AttribSet {
    const map = new Map<string, string>();
    for (const [key, value] of pairs) {
      if (value === '') map.delete(key);
      else map.set(key, value);
    }
    return this.intern(map);
  }

  /** `base` with `changes` applied: a change with an empty value removes that key. */
  apply(base: AttribSet, changes: readonly (readonly [string, string])[], changesId: string): AttribSet {
    const cacheKey = `${base.id}\u0002${changesId}`;
    let result = this.applied.get(cacheKey);
    if (!result) {
      result = this.of([...base.entries, ...changes]);
      this.applied.set(cacheKey, result);
    }
    return result;
  }

  private intern(map: Map<string, string>): AttribSet {
    const sorted = Array.from(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const id = sorted.map(([k, v]) => `${k}\u0000${v}`).join('\u0001');
    let set = this.sets.get(id);
    if (!set) {
      set = { id, entries: new Map(sorted) };
      this.sets.set(id, set);
    }
    return set;
  }
}

/** The atext Etherpad starts every pad from: a single newline. */
export function initialAText(table: AttribTable): AText {
  return { text: '\n', runs: [{ length: 1, attribs: table.empty }] };
}

/** Appends a run, merging it with the last one when their attributes are the same. */
function pushRun(runs: Run[], length: number, attribs: AttribSet): void {
  if (length === 0) return;
  const last = runs[runs.length - 1];
  if (last && last.attribs === attribs) last.length += length;
  else runs.push({ length, attribs });
}

function opPairs(op: Op, pool: AttribPool): (readonly [string, string])[] {
  return op.attribs.map((n) => pool.get(n));
}

/** Reads a stored atext (`{text, attribs}`), checking that its ops cover the text exactly. */
export function readAText(value: unknown, pool: AttribPool, table: AttribTable, where: string): AText {
  const v = value as { text?: unknown; attribs?: unknown } | null;
  if (typeof v?.text !== 'string' || typeof v.attribs !== 'string') throw new ChangesetError(`${where} has no atext {text, attribs}`);
  const runs: Run[] = [];
  let pos = 0;
  for (const op of parseOps(v.attribs)) {
    if (op.code !== '+') throw new ChangesetError(`${where}: an atext holds only inserts, found "${op.code}"`);
    const newlines = countNewlines(v.text.slice(pos, pos + op.chars));
    if (newlines !== op.lines)
      throw new ChangesetError(`${where}: its attributes claim ${op.lines} newlines where the text has ${newlines}`);
    pushRun(runs, op.chars, table.of(opPairs(op, pool)));
    pos += op.chars;
  }
  if (pos !== v.text.length) throw new ChangesetError(`${where}: its attributes cover ${pos} characters of a text of ${v.text.length}`);
  return { text: v.text, runs };
}

/** Applies a parsed changeset to `atext`; throws ChangesetError (with the reason) if it does not fit. */
export function applyChangeset(atext: AText, cs: Changeset, pool: AttribPool, table: AttribTable): AText {
  if (atext.text.length !== cs.oldLen) {
    throw new ChangesetError(`it applies to a text of ${cs.oldLen} characters, the pad has ${atext.text.length}`);
  }
  const parts: string[] = [];
  const runs: Run[] = [];
  const old = atext.runs;
  let runIndex = 0;
  let runOffset = 0;
  let pos = 0;
  let bank = 0;
  /** Moves over `n` old characters, copying their runs (through `transform`) unless `skip`. */
  const take = (n: number, transform: ((a: AttribSet) => AttribSet) | null, skip: boolean) => {
    while (n > 0) {
      const run = old[runIndex];
      const k = Math.min(run.length - runOffset, n);
      if (!skip) pushRun(runs, k, transform ? transform(run.attribs) : run.attribs);
      runOffset += k;
      n -= k;
      if (runOffset === run.length) {
        runIndex += 1;
        runOffset = 0;
      }
    }
  };
  for (const op of cs.ops) {
    if (op.code === '+') {
      parts.push(cs.charBank.slice(bank, bank + op.chars));
      bank += op.chars;
      pushRun(runs, op.chars, table.of(opPairs(op, pool)));
      continue;
    }
    const slice = atext.text.slice(pos, pos + op.chars);
    const newlines = countNewlines(slice);
    if (newlines !== op.lines) {
      throw new ChangesetError(
        `a ${op.code === '-' ? 'delete' : 'keep'} of ${op.chars} characters at ${pos} claims ${op.lines} newlines, the text there has ${newlines}`,
      );
    }
    if (op.code === '=') {
      parts.push(slice);
      const changes = opPairs(op, pool);
      const changesId = formatAttribs(op.attribs);
      take(op.chars, changes.length > 0 ? (a) => table.apply(a, changes, changesId) : null, false);
    } else {
      take(op.chars, null, true);
    }
    pos += op.chars;
  }
  parts.push(atext.text.slice(pos));
  take(atext.text.length - pos, null, false);
  const text = parts.join('');
  if (!text.endsWith('\n')) throw new ChangesetError('the text no longer ends with a newline');
  return { text, runs };
}

/** Null if `a` and `b` hold the same text and attributes, else where they first differ. */
export function firstDifference(a: AText, b: AText): string | null {
  if (a.text !== b.text) {
    let i = 0;
    while (i < a.text.length && a.text[i] === b.text[i]) i += 1;
    return `the text differs from character ${i} on (${a.text.length} vs ${b.text.length} characters)`;
  }
  let ia = 0;
  let ib = 0;
  let oa = 0;
  let ob = 0;
  let pos = 0;
  while (ia < a.runs.length && ib < b.runs.length) {
    const ra = a.runs[ia];
    const rb = b.runs[ib];
    if (ra.attribs !== rb.attribs) return `the attributes differ at character ${pos}`;
    const k = Math.min(ra.length - oa, rb.length - ob);
    pos += k;
    oa += k;
    ob += k;
    if (oa === ra.length) {
      ia += 1;
      oa = 0;
    }
    if (ob === rb.length) {
      ib += 1;
      ob = 0;
    }
  }
  return null;
}

/** The text's lines (without their newline), each with the runs of its characters. */
export function* attributedLines(atext: AText): Generator<{ text: string; runs: Run[] }> {
  let lineRuns: Run[] = [];
  let lineStart = 0;
  let pos = 0;
  for (const run of atext.runs) {
    let offset = 0;
    while (offset < run.length) {
      const nl = atext.text.indexOf('\n', pos);
      const end = Math.min(pos + run.length - offset, nl + 1);
      pushRun(lineRuns, Math.min(end, nl) - pos, run.attribs);
      offset += end - pos;
      pos = end;
      if (end === nl + 1) {
        yield { text: atext.text.slice(lineStart, nl), runs: lineRuns };
        lineRuns = [];
        lineStart = pos;
      }
    }
  }
}
