import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttribPool, AttribTable, applyChangeset, attributedLines, initialAText, readAText } from '../../../server/etherpad/atext.js';
import { replayATexts } from '../../../server/etherpad/atext-replay.js';
import { ChangesetError, formatChangeset, parseAttribs, parseChangeset } from '../../../server/etherpad/changeset.js';
import { readEtherpadExport } from '../../../server/etherpad/export-file.js';
import { ImportError } from '../../../server/etherpad/import-error.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'etherpad', name), 'utf8'));

describe('Etherpad changesets', () => {
  it('parses header, ops with attributes and newline counts, and the char bank', () => {
    const cs = parseChangeset('Z:8>v|1=7*5*2*6*3*7+1*5|1+u$*visit https://example.org now\n');
    expect(cs.oldLen).toBe(8);
    expect(cs.newLen).toBe(8 + 31);
    expect(cs.ops).toEqual([
      { code: '=', chars: 7, lines: 1, attribs: [] },
      { code: '+', chars: 1, lines: 0, attribs: [5, 2, 6, 3, 7] },
      { code: '+', chars: 30, lines: 1, attribs: [5] },
    ]);
    expect(cs.charBank).toBe('*visit https://example.org now\n');
    expect(formatChangeset(cs)).toBe('Z:8>v|1=7*5*2*6*3*7+1*5|1+u$*visit https://example.org now\n');
    expect(parseChangeset('Z:bk<bj|7-bj$').newLen).toBe(1);
    expect(parseAttribs('*0*1f')).toEqual([0, 51]);
  });

  it.each([
    ['no header', 'Y:1>1+1$a', /not a changeset/],
    ['no char bank marker', 'Z:1>1+1', /no "\$"/],
    ['char bank longer than the inserts', 'Z:1>1+1$ab', /holds 2 characters but the inserts use 1/],
    ['char bank shorter than an insert', 'Z:1>2+2$a', /finds only 1/],
    ['newline count of an insert', 'Z:1>2+2$a\n', /claims 0 newlines but its characters hold 1/],
    ['multi-line insert not ending with a newline', 'Z:1>2|1+2$\na', /does not end with a newline/],
    ['ops past the old text', 'Z:1>0=2$', /reach position 2 of a text of 1/],
    ['lengths that do not add up', 'Z:1>3+1$a', /make a text of 2 characters, the header says 4/],
    ['garbage between ops', 'Z:1>1+1?$a', /unreadable operation/],
    ['a negative new length', 'Z:1<2$', /negative/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseChangeset(text)).toThrow(ChangesetError);
    expect(() => parseChangeset(text)).toThrow(message);
  });

  it('applies inserts, deletes and attribute changes, keeping runs merged', () => {
    const table = new AttribTable();
    const pool = AttribPool.fromJson({ numToAttrib: { 0: ['bold', 'true'], 1: ['bold', ''], 2: ['author', 'a.x'] } }, 'test');
    let atext = initialAText(table);
    atext = applyChangeset(atext, parseChangeset('Z:1>5*2+5$hello'), pool, table);
    expect(atext.text).toBe('hello\n');
    atext = applyChangeset(atext, parseChangeset('Z:6>0=1*0=3$'), pool, table);
    expect(atext.runs.map((r) => [r.length, Object.fromEntries(r.attribs.entries)])).toEqual([
      [1, { author: 'a.x' }],
      [3, { author: 'a.x', bold: 'true' }],
      [1, { author: 'a.x' }],
      [1, {}],
    ]);
    atext = applyChangeset(atext, parseChangeset('Z:6<1=1-1*1=2$'), pool, table);
    expect(atext.text).toBe('hllo\n');
    expect(atext.runs.map((r) => r.length)).toEqual([4, 1]);
    expect(() => applyChangeset(atext, parseChangeset('Z:9>0$'), pool, table)).toThrow(/applies to a text of 9 characters, the pad has 5/);
    expect(() => applyChangeset(atext, parseChangeset('Z:5>0|1=2$'), pool, table)).toThrow(/claims 1 newlines, the text there has 0/);
    expect(() => applyChangeset(atext, parseChangeset('Z:5>0*9=1$'), pool, table)).toThrow(/attribute \*9 is not in the pool/);
  });

  it('reads stored atexts and splits them into lines without their newline', () => {
    const table = new AttribTable();
    const pool = AttribPool.fromJson({ numToAttrib: { 0: ['lmkr', '1'], 1: ['list', 'bullet1'] } }, 'test');
    const atext = readAText({ text: '*ab\ncd\n', attribs: '*0*1+1|1+3|1+3' }, pool, table, 'test');
    const lines = Array.from(attributedLines(atext)).map((l) => [l.text, l.runs.map((r) => r.length)]);
    expect(lines).toEqual([
      ['*ab', [1, 2]],
      ['cd', [2]],
    ]);
    expect(() => readAText({ text: 'ab\n', attribs: '+2' }, pool, table, 'the pad')).toThrow(/cover 2 characters of a text of 3/);
  });

  it('replays test.etherpad to its stored atext, key revision 0 included', () => {
    const file = readEtherpadExport(fixture('test.etherpad'));
    const revisions = Array.from(replayATexts(file).revisions);
    expect(revisions.map((r) => r.record.rev)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(revisions[5].atext.text).toBe('*hello\n');
  });

  it('stops broken.etherpad at revision 1395, naming it and the reason', () => {
    const file = readEtherpadExport(fixture('broken.etherpad'));
    expect(file.head).toBe(1928);
    let last = -1;
    let error: unknown;
    try {
      for (const { record } of replayATexts(file).revisions) last = record.rev;
    } catch (err) {
      error = err;
    }
    expect(last).toBe(1394);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).status).toBe(422);
    expect((error as ImportError).revision).toBe(1395);
    expect((error as ImportError).message).toMatch(
      /^Revision 1395: its changeset does not apply: the character bank holds 258 characters but the inserts use 256/,
    );
  });

  it('refuses a key revision that does not match the replay', () => {
    const json = fixture('two-authors.etherpad') as Record<string, { meta?: { atext?: { text: string } } }>;
    json['pad:nova-2027.1-ptg:revs:0'].meta!.atext!.text = '*Tit1e\n\n';
    const run = () => Array.from(replayATexts(readEtherpadExport(json)).revisions);
    expect(run).toThrow(/Revision 0 does not match its key revision: the text differs from character 4/);
  });

  it('refuses a final atext that the history does not produce', () => {
    const json = fixture('two-authors.etherpad') as Record<string, { atext?: { attribs: string } }>;
    json['pad:nova-2027.1-ptg'].atext!.attribs = '*0*1*2*3+1*0+5*0|1+1*8*5*2*6*3*7+1*5|1+u|1+1';
    expect(() => Array.from(replayATexts(readEtherpadExport(json)).revisions)).toThrow(
      /does not match the pad's current text: the attributes differ at character 1/,
    );
  });
});

describe('.etherpad files', () => {
  it.each([
    ['not an object', [], /JSON object of database records/],
    ['no pad record', { 'globalAuthor:a.x': {} }, /no pad record/],
    ['several pads', { 'pad:a': { head: 0, atext: {} }, 'pad:b': { head: 0, atext: {} } }, /several pads/],
    ['records of another pad', { 'pad:a': { head: 0, atext: {} }, 'pad:b:revs:0': {} }, /"pad:b:revs:0" belongs to another pad than "a"/],
    [
      'a missing revision',
      { 'pad:a': { head: 1, atext: {} }, 'pad:a:revs:0': { changeset: 'Z:1>0$', meta: { author: '', timestamp: 1 } } },
      /Revision 1 of pad "a" is missing/,
    ],
    [
      'a revision without timestamp',
      { 'pad:a': { head: 0, atext: {} }, 'pad:a:revs:0': { changeset: 'Z:1>0$', meta: { author: '' } } },
      /Revision 0 has no timestamp/,
    ],
  ])('refuses %s', (_what, json, message) => {
    expect(() => readEtherpadExport(json)).toThrow(ImportError);
    expect(() => readEtherpadExport(json)).toThrow(message);
  });

  it('collects chat in order, authors (skipping null records) and saved revisions', () => {
    const file = readEtherpadExport(fixture('two-authors.etherpad'));
    expect(file.name).toBe('nova-2027.1-ptg');
    expect(file.chats.map((c) => [c.text, c.author, c.userName])).toEqual([
      ['hello from chat', 'a.bob', null],
      ['second', 'a.alice', 'Alice A.'],
    ]);
    expect(file.authors.get('a.bob')).toEqual({ name: 'Bob', colorId: 3 });
    expect(file.saved).toEqual([{ rev: 2, label: 'after bold', author: 'a.alice', timestamp: 1700000003500 }]);
    expect(readEtherpadExport(fixture('broken.etherpad')).authors.size).toBe(2);
  });
});
