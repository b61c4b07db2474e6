import { describe, expect, it } from 'vitest';
import { AttribPool, AttribTable, readAText } from '../../../server/etherpad/atext.js';
import { authorColor, etherpadAuthorId, importedAuthorId } from '../../../server/etherpad/authors.js';
import { ChangesetWriter, PoolWriter } from '../../../server/etherpad/changeset-writer.js';
import { documentLines } from '../../../server/etherpad/document-lines.js';
import { PadDocumentBuilder, type DroppedAttributes } from '../../../server/etherpad/pad-document.js';
import { padIdsForNames } from '../../../server/etherpad/pad-names.js';
import { padSchema } from '../../../server/history/revision-content.js';

const schema = padSchema();
const POOL = {
  numToAttrib: {
    0: ['lmkr', '1'],
    1: ['list', 'bullet1'],
    2: ['list', 'bullet2'],
    3: ['list', 'number1'],
    4: ['start', '4'],
    5: ['heading', 'h2'],
    6: ['heading', 'code'],
    7: ['bold', 'true'],
    8: ['italic', 'true'],
    9: ['font-color', 'red'],
    10: ['list', 'indent1'],
    11: ['list', 'bullet3'],
    12: ['strikethrough', 'true'],
    13: ['author', 'a.x'],
  },
};

function build(text: string, attribs: string, dropped?: DroppedAttributes) {
  const table = new AttribTable();
  const atext = readAText({ text, attribs }, AttribPool.fromJson(POOL, 'test'), table, 'test');
  return new PadDocumentBuilder(schema).build(atext, dropped).toJSON();
}

describe('Etherpad lines as a pad document', () => {
  it('nests bullet lists by level, taking a jump of levels as one', () => {
    // bullet1 "a", bullet3 "b" (one deeper), bullet2 "c", bullet1 "d"
    const doc = build('*a\n*b\n*c\n*d\n\n', '*0*1+1|1+2*0*b+1|1+2*0*2+1|1+2*0*1+1|1+2|1+1');
    const item = (text: string, ...nested: object[]) => ({
      type: 'listItem',
      content: [{ type: 'paragraph', content: [{ type: 'text', text }] }, ...nested],
    });
    expect(doc.content[0]).toEqual({
      type: 'bulletList',
      content: [item('a', { type: 'bulletList', content: [item('b'), item('c')] }), item('d')],
    });
    expect(doc.content[1]).toEqual({ type: 'paragraph' });
  });

  it('makes numbered lists with their start, headings, code blocks of consecutive code lines and marks', () => {
    const doc = build('*one\n*Head\n*x = 1\n*y = 2\nbold it\n\n', '*0*3*4+1|1+4*0*5+1|1+5*0*6+1|1+6*0*6+1|1+6*7+4*7*8+3|1+1|1+1');
    expect(doc.content[0]).toMatchObject({ type: 'orderedList', attrs: { start: 4 } });
    expect(doc.content[1]).toEqual({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Head' }] });
    expect(doc.content[2]).toEqual({ type: 'codeBlock', attrs: { language: null }, content: [{ type: 'text', text: 'x = 1\ny = 2' }] });
    expect(doc.content[3]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', marks: [{ type: 'bold' }], text: 'bold' },
        { type: 'text', marks: [{ type: 'bold' }, { type: 'italic' }], text: ' it' },
      ],
    });
  });

  it('links URLs in the text and counts the attributes it drops', () => {
    const dropped: DroppedAttributes = {};
    const doc = build('see https://example.org/x. now\n*indented\n\n', '*9+4|1+r*0*a+1|1+9|1+1', dropped);
    expect(doc.content[0].content).toEqual([
      { type: 'text', text: 'see ' },
      {
        type: 'text',
        text: 'https://example.org/x',
        marks: [{ type: 'link', attrs: expect.objectContaining({ href: 'https://example.org/x' }) }],
      },
      { type: 'text', text: '. now' },
    ]);
    expect(doc.content[1]).toEqual({ type: 'paragraph', content: [{ type: 'text', text: 'indented' }] });
    expect(dropped).toEqual({ 'font-color': 4, 'list=indent': 1 });
  });

  it('reuses the nodes of unchanged lines from the previous build', () => {
    const table = new AttribTable();
    const pool = AttribPool.fromJson(POOL, 'test');
    const builder = new PadDocumentBuilder(schema);
    const first = builder.build(readAText({ text: 'a\nb\n', attribs: '|2+4' }, pool, table, 'x'));
    const second = builder.build(readAText({ text: 'a\nbc\n', attribs: '|2+5' }, pool, table, 'x'));
    expect(second.child(0)).toBe(first.child(0));
    expect(second.child(1)).not.toBe(first.child(1));
  });
});

describe('pad documents as Etherpad lines and changesets', () => {
  const doc = schema.nodeFromJSON({
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Notes', marks: [{ type: 'bold' }] }] },
      {
        type: 'orderedList',
        attrs: { start: 3 },
        content: [
          {
            type: 'listItem',
            content: [
              { type: 'paragraph', content: [{ type: 'text', text: 'one' }] },
              {
                type: 'bulletList',
                content: [
                  {
                    type: 'listItem',
                    content: [{ type: 'paragraph', content: [{ type: 'text', text: 'deep', marks: [{ type: 'strike' }] }] }],
                  },
                ],
              },
            ],
          },
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }] },
        ],
      },
      { type: 'codeBlock', content: [{ type: 'text', text: 'a\nb' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'x' }, { type: 'hardBreak' }, { type: 'text', text: 'y' }] },
    ],
  });

  it('writes lines with line attributes and marks', () => {
    expect(documentLines(doc).map((l) => [l.text, Object.fromEntries(l.lineAttribs)])).toEqual([
      ['Notes', { heading: 'h1' }],
      ['one', { list: 'number1', start: '3' }],
      ['deep', { list: 'bullet2' }],
      ['two', { list: 'number1' }],
      ['a', { heading: 'code' }],
      ['b', { heading: 'code' }],
      ['x', {}],
      ['y', {}],
    ]);
  });

  it('round-trips through changesets and back to the same document', () => {
    const pool = new PoolWriter();
    const writer = new ChangesetWriter(pool);
    const first = writer.write(documentLines(doc), 'a.alice');
    expect(first.startsWith('Z:1>')).toBe(true);
    const edited = schema.nodeFromJSON({
      ...doc.toJSON(),
      content: [...doc.toJSON().content.slice(0, 2), { type: 'paragraph', content: [{ type: 'text', text: 'x and more' }] }],
    });
    const second = writer.write(documentLines(edited), 'a.bob');
    // Only the tail changed: the changeset keeps the first lines as they are.
    expect(second).toMatch(/^Z:[0-9a-z]+>1\|4=[0-9a-z]+[^$]*\$x and more$/);
    const back = new PadDocumentBuilder(schema).build(writer.atext).toJSON();
    const expected = edited.toJSON();
    expect(back.content[0]).toEqual(expected.content[0]);
    expect(back.content[1]).toEqual(expected.content[1]);
    expect(back.content[2]).toEqual(expected.content[2]);
    // Inserted characters carry their author; kept ones keep theirs.
    const authors = new Set(writer.atext.runs.map((r) => r.attribs.entries.get('author')));
    expect(authors).toEqual(new Set(['a.alice', 'a.bob', undefined]));
  });
});

describe('Etherpad names as pad ids', () => {
  it('keeps valid names, lowercases, transliterates, and settles collisions the same way every time', () => {
    const names = [
      'nova-2027.1-ptg',
      'Nova-PTG',
      'nova-ptg',
      'diseño-plan-EDU-twits',
      'My Pad!',
      '..hidden',
      'r.abcdefghijklmnopqrstuvwxyz',
    ];
    const ids = padIdsForNames(names);
    expect(ids.get('nova-2027.1-ptg')).toBe('nova-2027.1-ptg');
    expect(ids.get('nova-ptg')).toBe('nova-ptg');
    expect(ids.get('Nova-PTG')).toMatch(/^nova-ptg-[0-9a-f]{6}$/);
    expect(ids.get('diseño-plan-EDU-twits')).toBe('diseno-plan-edu-twits');
    expect(ids.get('My Pad!')).toBe('my-pad');
    expect(ids.get('..hidden')).toBe('hidden');
    expect(ids.get('r.abcdefghijklmnopqrstuvwxyz')).toMatch(/^pad-r\./);
    expect(padIdsForNames([...names].reverse())).toEqual(ids);
    expect(padIdsForNames(['Nova-PTG']).get('Nova-PTG')).toBe('nova-ptg');
  });
});

describe('Etherpad authors', () => {
  it('maps ids in one place: imported ids show their original, ours a one-way hash', () => {
    expect(importedAuthorId('a.alice', { kind: 'admin' })).toBe('ep.a.alice');
    expect(importedAuthorId('a.alice', { kind: 'pad', padId: 'p' })).toBe('ep.p/a.alice');
    expect(importedAuthorId('', { kind: 'admin' })).toBe('api');
    expect(etherpadAuthorId('ep.a.alice')).toBe('a.alice');
    expect(etherpadAuthorId('ep.p/a.alice')).toBe('a.alice');
    expect(etherpadAuthorId('api')).toBe('');
    const cookie = 'a.ABCDEFGHIJKLMNOPQRSTUV';
    const shown = etherpadAuthorId(cookie);
    expect(shown).toMatch(/^a\.[A-Za-z0-9]{16}$/);
    expect(shown).not.toContain(cookie.slice(2, 10));
    expect(authorColor(3, 'x')).toMatch(/^#[0-9a-f]{6}$/);
    expect(authorColor('#FCFCCF', 'x')).toBe('#fcfccf');
  });
});
