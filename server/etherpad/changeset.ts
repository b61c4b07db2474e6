/**
 * Etherpad's changesets ("easysync"), read and written by our own code from the format's
 * description in Etherpad's Changeset.ts (Apache-2.0):
 *
 *   Z:<oldLen><'>' or '<'><|newLen - oldLen|><ops>$<charBank>
 *
 * Numbers are base 36. Each op is `(*<attrib number>)* (|<newlines>)? <'+'|'-'|'='><chars>`:
 * insert chars taken from the char bank, delete, or keep (and, with attributes, reformat) chars
 * of the old text; whatever the ops leave over at the end is kept. Lengths count UTF-16 code
 * units, as JavaScript strings and Y.Text do. A multi-line op covers whole lines: `|n` says how
 * many newlines its chars hold, and a multi-line insert ends with a newline.
 */

export type OpCode = '+' | '-' | '=';

export interface Op {
  code: OpCode;
  /** UTF-16 code units. */
  chars: number;
  /** Newlines among them. */
  lines: number;
  /** Attribute numbers in the pad's pool. */
  attribs: readonly number[];
}

export interface Changeset {
  oldLen: number;
  newLen: number;
  ops: Op[];
  charBank: string;
}

/** A changeset that is malformed or does not fit the text it is applied to. */
export class ChangesetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangesetError';
  }
}

const HEADER = /^Z:([0-9a-z]+)([><])([0-9a-z]+)/;
const OP = /((?:\*[0-9a-z]+)*)(?:\|([0-9a-z]+))?([-+=])([0-9a-z]+)/y;
/** Largest length accepted: far beyond any pad, small enough that base-36 parsing stays exact. */
const MAX_NUMBER = 2 ** 31;

export function parseBase36(digits: string): number {
  const n = parseInt(digits, 36);
  if (!Number.isSafeInteger(n) || n > MAX_NUMBER) throw new ChangesetError(`number "${digits.slice(0, 20)}" is out of range`);
  return n;
}

export function toBase36(n: number): string {
  return n.toString(36);
}

/** `*0*1f` -> [0, 51]. */
export function parseAttribs(text: string): number[] {
  if (text === '') return [];
  if (!/^(\*[0-9a-z]+)+$/.test(text)) throw new ChangesetError(`"${text.slice(0, 40)}" is not an attribute list`);
  return text.slice(1).split('*').map(parseBase36);
}

export function formatAttribs(attribs: readonly number[]): string {
  return attribs.map((n) => `*${toBase36(n)}`).join('');
}

/** Reads a serialized op list (no header, no char bank), such as an atext's `attribs`. */
export function parseOps(text: string): Op[] {
  const ops: Op[] = [];
  OP.lastIndex = 0;
  while (OP.lastIndex < text.length) {
    const at = OP.lastIndex;
    const match = OP.exec(text);
    if (!match) throw new ChangesetError(`unreadable operation at "${text.slice(at, at + 20)}"`);
    ops.push({
      code: match[3] as OpCode,
      chars: parseBase36(match[4]),
      lines: match[2] ? parseBase36(match[2]) : 0,
      attribs: parseAttribs(match[1]),
    });
  }
  return ops;
}

/**
 * Parses and checks a changeset on its own: the header, every op, that the char bank holds
 * exactly the inserted characters with the newlines the inserts claim, and that the lengths
 * add up. Whether it fits a given text is checked when it is applied (atext.ts).
 */
export function parseChangeset(text: string): Changeset {
  if (typeof text !== 'string') throw new ChangesetError('the changeset is not a string');
  const header = HEADER.exec(text);
  if (!header) throw new ChangesetError(`"${text.slice(0, 20)}" is not a changeset (no Z: header)`);
  const oldLen = parseBase36(header[1]);
  const diff = parseBase36(header[3]);
  const newLen = header[2] === '>' ? oldLen + diff : oldLen - diff;
  if (newLen < 0) throw new ChangesetError(`the new length ${oldLen} - ${diff} is negative`);
  const dollar = text.indexOf('$', header[0].length);
  if (dollar < 0) throw new ChangesetError('the changeset has no "$" before its character bank');
  const ops = parseOps(text.slice(header[0].length, dollar));
  const charBank = text.slice(dollar + 1);
  let oldPos = 0;
  let newPos = 0;
  let bankPos = 0;
  for (const op of ops) {
    if (op.code === '+') {
      const chars = charBank.slice(bankPos, bankPos + op.chars);
      if (chars.length < op.chars) {
        throw new ChangesetError(`an insert of ${op.chars} characters finds only ${chars.length} left in the character bank`);
      }
      const newlines = countNewlines(chars);
      if (newlines !== op.lines) throw new ChangesetError(`an insert claims ${op.lines} newlines but its characters hold ${newlines}`);
      if (op.lines > 0 && !chars.endsWith('\n')) throw new ChangesetError('a multi-line insert does not end with a newline');
      bankPos += op.chars;
      newPos += op.chars;
    } else {
      oldPos += op.chars;
      if (op.code === '=') newPos += op.chars;
      if (oldPos > oldLen) throw new ChangesetError(`the operations reach position ${oldPos} of a text of ${oldLen}`);
    }
  }
  if (bankPos !== charBank.length) {
    throw new ChangesetError(`the character bank holds ${charBank.length} characters but the inserts use ${bankPos}`);
  }
  if (newPos + (oldLen - oldPos) !== newLen) {
    throw new ChangesetError(`the operations make a text of ${newPos + oldLen - oldPos} characters, the header says ${newLen}`);
  }
  return { oldLen, newLen, ops, charBank };
}

export function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/** Serializes ops as Etherpad writes them (`*a*b|L+n`). */
export function formatOps(ops: readonly Op[]): string {
  return ops
    .map((op) => `${formatAttribs(op.attribs)}${op.lines > 0 ? `|${toBase36(op.lines)}` : ''}${op.code}${toBase36(op.chars)}`)
    .join('');
}

export function formatChangeset(cs: Changeset): string {
  const diff = cs.newLen - cs.oldLen;
  return `Z:${toBase36(cs.oldLen)}${diff >= 0 ? '>' : '<'}${toBase36(Math.abs(diff))}${formatOps(cs.ops)}$${cs.charBank}`;
}
