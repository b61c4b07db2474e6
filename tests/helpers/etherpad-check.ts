/**
 * What Etherpad's own import asserts about an `.etherpad` file (its `Pad.check`), restated for
 * our tests: the pool is consistent; every revision has a string author, a positive timestamp
 * and a changeset in canonical form (the writer's own canonicalisation gives back the same
 * string, attribute lists sorted by key, newline counts right); key revisions and the final
 * atext equal the replay string for string; every revision author is in the pool; saved
 * revisions ascend; chat records are whole.
 */
import { AttribPool, AttribTable, applyChangeset, initialAText, type AText } from '../../server/etherpad/atext.js';
import { countNewlines, formatChangeset, parseChangeset } from '../../server/etherpad/changeset.js';
import { PoolWriter, atextAttribs, canonicalOps, type RawOp } from '../../server/etherpad/changeset-writer.js';

export function etherpadCheck(file: Record<string, any>, padId: string): void {
  const fail = (message: string): never => {
    throw new Error(`(pad ${padId}) ${message}`);
  };
  const pad = file[`pad:${padId}`] ?? fail('no pad record');
  const numToAttrib = pad.pool?.numToAttrib ?? fail('no pool');
  const nums = Object.keys(numToAttrib).map(Number);
  if (pad.pool.nextNum !== nums.length || nums.some((n, i) => n !== i)) fail('pool numbers are not 0..nextNum-1');
  const pairs = nums.map((n) => numToAttrib[n] as [string, string]);
  if (pairs.some((p) => !Array.isArray(p) || p.length !== 2 || p.some((x) => typeof x !== 'string')))
    fail('a pool entry is not [string, string]');
  for (const [key, value] of Object.entries(pad.pool.attribToNum ?? {}))
    if (pairs[value as number].join(',') !== key) fail(`attribToNum ${key} disagrees`);
  const poolAuthors = new Set(pairs.filter(([k, v]) => k === 'author' && v).map(([, v]) => v));
  const pool = AttribPool.fromPairs(pairs);
  const writerPool = new PoolWriter(pairs);
  const table = new AttribTable();
  let atext: AText = initialAText(table);
  for (let rev = 0; rev <= pad.head; rev += 1) {
    const record = file[`pad:${padId}:revs:${rev}`] ?? fail(`revision ${rev} missing`);
    const { changeset, meta } = record;
    if (typeof meta.author !== 'string') fail(`revision ${rev}: author is not a string`);
    if (meta.author && !poolAuthors.has(meta.author)) fail(`revision ${rev}: author ${meta.author} is not in the pool`);
    if (!(typeof meta.timestamp === 'number' && meta.timestamp > 0)) fail(`revision ${rev}: bad timestamp`);
    const cs = parseChangeset(changeset);
    const raw: RawOp[] = [];
    let pos = 0;
    let bank = 0;
    for (const op of cs.ops) {
      const keys = op.attribs.map((n) => pairs[n][0]);
      if (keys.join() !== [...keys].sort().join()) fail(`revision ${rev}: attributes not sorted by key`);
      const text = op.code === '+' ? cs.charBank.slice(bank, (bank += op.chars)) : atext.text.slice(pos, (pos += op.chars));
      if (op.code !== '+' && op.lines > 0 && !text.endsWith('\n')) fail(`revision ${rev}: a multi-line op does not end at a newline`);
      if (countNewlines(text) !== op.lines) fail(`revision ${rev}: newline count`);
      raw.push({ code: op.code, text, attribs: [...op.attribs] });
    }
    if (formatChangeset({ ...cs, ops: canonicalOps(raw) }) !== changeset)
      fail(`revision ${rev}: changeset not in canonical form: ${changeset.slice(0, 80)}`);
    atext = applyChangeset(atext, cs, pool, table);
    if (rev % 100 === 0) {
      const key = meta.atext ?? fail(`key revision ${rev} has no atext`);
      if (key.text !== atext.text || key.attribs !== atextAttribs(atext, writerPool)) fail(`key revision ${rev} differs from the replay`);
    }
  }
  if (pad.atext.text !== atext.text || pad.atext.attribs !== atextAttribs(atext, writerPool)) fail('the pad atext differs from the replay');
  let previous = -1;
  for (const saved of pad.savedRevisions) {
    if (!(Number.isInteger(saved.revNum) && saved.revNum > previous && saved.revNum <= pad.head && typeof saved.id === 'string'))
      fail('saved revisions out of order');
    previous = saved.revNum;
  }
  for (let n = 0; n <= pad.chatHead; n += 1) {
    const chat = file[`pad:${padId}:chat:${n}`] ?? fail(`chat ${n} missing`);
    if (typeof chat.text !== 'string' || typeof chat.time !== 'number') fail(`chat ${n} is not a message`);
  }
  for (const [key, value] of Object.entries(file)) {
    if (key.startsWith('globalAuthor:') && (value as { padIDs?: unknown }).padIDs !== padId) fail(`${key}: padIDs is not the pad`);
  }
}
