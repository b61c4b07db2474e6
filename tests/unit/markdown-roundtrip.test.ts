/**
 * Every node and mark of the pad schema survives doc -> markdown -> doc, and hostile text
 * (markdown syntax characters in plain text) reads back as the same text.
 */
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';

const md = padMarkdown();

const text = (t: string, ...marks: NonNullable<JSONContent['marks']>[]): JSONContent => ({
  type: 'text',
  text: t,
  ...(marks.length ? { marks: marks.flat() } : {}),
});
const p = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });
const li = (...content: JSONContent[]): JSONContent => ({ type: 'listItem', content });
const task = (checked: boolean, ...content: JSONContent[]): JSONContent => ({ type: 'taskItem', attrs: { checked }, content });
const m = (type: string, attrs?: Record<string, unknown>) => [{ type, ...(attrs ? { attrs } : {}) }];

/** doc -> markdown -> doc must give the same document, and markdown must be a fixed point. */
function roundTrip(json: JSONContent): string {
  const node = md.schema.nodeFromJSON(json);
  const out = md.serialize(node);
  const back = md.parse(out);
  expect(back.toJSON(), `markdown was:\n${out}`).toEqual(node.toJSON());
  expect(md.serialize(back)).toBe(out);
  return out;
}

describe('markdown round trip: nodes', () => {
  it('headings of every level and paragraphs', () => {
    const levels = [1, 2, 3, 4, 5, 6].map((level) => ({ type: 'heading', attrs: { level }, content: [text(`Level ${level}`)] }));
    const out = roundTrip(doc(...levels, p(text('A paragraph.'))));
    expect(out).toContain('###### Level 6\n');
  });

  it('code blocks with and without a language', () => {
    const out = roundTrip(
      doc(
        { type: 'codeBlock', attrs: { language: 'python' }, content: [text('def f(x):\n    return x * 2  # *not* markdown\n\n# comment')] },
        { type: 'codeBlock', attrs: { language: null }, content: [text('$ openstack server list | grep ACTIVE')] },
      ),
    );
    expect(out).toContain('```python\n');
  });

  it('a code block containing a fence', () => {
    roundTrip(doc({ type: 'codeBlock', attrs: { language: 'md' }, content: [text('```\ninner\n```')] }));
  });

  it('nested bullet and ordered lists, keeping the start number', () => {
    const out = roundTrip(
      doc(
        {
          type: 'bulletList',
          content: [
            li(p(text('one')), {
              type: 'bulletList',
              content: [li(p(text('one.a')), { type: 'bulletList', content: [li(p(text('deep')))] })],
            }),
            li(p(text('two'))),
          ],
        },
        p(text('between')),
        {
          type: 'orderedList',
          attrs: { start: 7, type: null },
          content: [
            li(p(text('seven')), { type: 'orderedList', attrs: { start: 1, type: null }, content: [li(p(text('inner')))] }),
            li(p(text('eight'))),
          ],
        },
      ),
    );
    expect(out).toContain('7. seven');
  });

  it('task lists with checked state, nested', () => {
    const out = roundTrip(
      doc({
        type: 'taskList',
        content: [
          task(false, p(text('open @alice'))),
          task(true, p(text('done')), { type: 'taskList', content: [task(false, p(text('sub (bob)')))] }),
        ],
      }),
    );
    expect(out).toContain('- [ ] open @alice');
    expect(out).toContain('- [x] done');
  });

  it('tables with header row', () => {
    const cell = (type: string, t: string): JSONContent => ({
      type,
      attrs: { colspan: 1, rowspan: 1, colwidth: null },
      content: [p(text(t))],
    });
    roundTrip(
      doc({
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', 'Topic'), cell('tableHeader', 'Owner')] },
          { type: 'tableRow', content: [cell('tableCell', 'a | b'), cell('tableCell', '*x* \\ y')] },
        ],
      }),
    );
  });

  it('blockquotes, horizontal rules and hard breaks', () => {
    roundTrip(
      doc(
        { type: 'blockquote', content: [p(text('quoted')), p(text('second'))] },
        { type: 'horizontalRule' },
        p(text('line one'), { type: 'hardBreak' }, text('line two')),
      ),
    );
  });
});

describe('markdown round trip: marks', () => {
  it('bold, italic, strike, underline, highlight, inline code', () => {
    roundTrip(
      doc(
        p(
          text('b', m('bold')),
          text(' '),
          text('i', m('italic')),
          text(' '),
          text('s', m('strike')),
          text(' '),
          text('u', m('underline')),
          text(' '),
          text('h', m('highlight')),
          text(' '),
          text('c * _ `', m('code')),
          text(' '),
          text('all', [...m('bold'), ...m('italic')]),
        ),
      ),
    );
  });

  it('links with and without titles, including awkward destinations', () => {
    roundTrip(
      doc(
        p(
          text('plain', m('link', { href: 'https://example.org/a_b', title: null })),
          text(' and '),
          text('titled', m('link', { href: 'https://example.org/x', title: 'The "best" title' })),
          text(' and '),
          text('parens', m('link', { href: 'https://en.wikipedia.org/wiki/Foo_(bar)', title: null })),
        ),
      ),
    );
  });
});

describe('markdown escaping', () => {
  const hostile = [
    '# not a heading',
    '## also not',
    '- not a bullet',
    '+ not a bullet',
    '* not a bullet',
    '1. not a list',
    '2) not a list',
    '> not a quote',
    '---',
    '===',
    '[not](a link)',
    '[[wiki]]',
    'a * b * c',
    '_under_ and __double__',
    '~~not struck~~',
    '==not highlighted==',
    '++not underlined++',
    '`not code`',
    'back\\slash \\* and \\\\',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '&amp; &lt; &copy; &#65;',
    'a | pipe',
    'https://example.org/x_y_z',
    '| a | b |',
    'four    spaces inside',
    'ends with two spaces  inside',
    '```',
    '~~~',
    '!',
    '![not](an image)',
    '\\',
    'trailing backslash\\',
    'emoji 🎉 and 中文 и русский و العربية',
  ];
  for (const t of hostile) {
    it(`keeps ${JSON.stringify(t)} as text`, () => {
      roundTrip(doc(p(text(t))));
      roundTrip(doc(p(text('x'), { type: 'hardBreak' }, text(t))));
      roundTrip(doc({ type: 'heading', attrs: { level: 2 }, content: [text(t)] }));
      roundTrip(doc({ type: 'bulletList', content: [li(p(text(t)))] }));
      roundTrip(doc(p(text('bold', m('bold')), text(t))));
    });
  }

  it('keeps | and the rest in table cells (tables collapse runs of spaces)', () => {
    const cell = (type: string, t: string): JSONContent => ({
      type,
      attrs: { colspan: 1, rowspan: 1, colwidth: null },
      content: [p(text(t))],
    });
    for (const t of hostile.filter((h) => !/\s\s/.test(h))) {
      roundTrip(
        doc({
          type: 'table',
          content: [
            { type: 'tableRow', content: [cell('tableHeader', 'h')] },
            { type: 'tableRow', content: [cell('tableCell', t)] },
          ],
        }),
      );
    }
  });

  it('drops leading spaces instead of starting a code block', () => {
    const out = md.serialize(md.schema.nodeFromJSON(doc(p(text('    indented')))));
    expect(out).toBe('indented\n');
  });
});

describe('markdown import safety', () => {
  it('drops javascript: and data: links, keeps their text', () => {
    const node = md.parse(
      '[a](javascript:alert(1)) [b](data:text/html,<script>x</script>) [c](JaVaScRiPt:alert(1)) <javascript:alert(1)> [ok](https://ok.org)',
    );
    const links: string[] = [];
    node.descendants((n) => {
      for (const mark of n.marks) if (mark.type.name === 'link') links.push(mark.attrs.href as string);
    });
    expect(links).toEqual(['https://ok.org']);
    expect(node.textContent).toContain('a');
  });

  it('keeps raw HTML as literal text', () => {
    const node = md.parse('<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> more\n\n<div onclick="x">hi</div>');
    expect(node.textContent).toContain('<script>alert(1)</script>');
    expect(node.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('turns images into links to the image', () => {
    const node = md.parse('![diagram](https://example.org/d.png)');
    expect(node.toJSON()).toEqual(
      doc(
        p(
          text(
            'diagram',
            m('link', {
              href: 'https://example.org/d.png',
              target: '_blank',
              rel: 'noopener noreferrer nofollow',
              class: null,
              title: null,
            }),
          ),
        ),
      ),
    );
  });

  it('parses pathological input quickly', () => {
    const inputs = ['['.repeat(20_000), '- '.repeat(100_000), '`'.repeat(300_000), '=='.repeat(20_000)];
    for (const input of inputs) {
      const started = performance.now();
      md.parse(input);
      expect(performance.now() - started, `input ${input.slice(0, 4)}...`).toBeLessThan(2000);
    }
  });
});
