/**
 * Markdown made for pasting (serialize with `style: 'paste'`): no backslash or entity where
 * CommonMark needs none, and every escape that is needed still there, checked by reading the
 * output back and comparing the text of every block.
 */
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';

const md = padMarkdown();
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const text = (value: string, marks: JSONContent['marks'] = undefined): JSONContent =>
  marks ? { type: 'text', text: value, marks } : { type: 'text', text: value };
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });
const paste = (...content: JSONContent[]) => md.serialize(doc(...content), { style: 'paste' });

/** The text of every textblock, in order: what a reader of the markdown sees. */
function blockTexts(node: JSONContent): string[] {
  if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'codeBlock') {
    return [(node.content ?? []).map((c) => (c.type === 'hardBreak' ? '\n' : (c.text ?? ''))).join('')];
  }
  return (node.content ?? []).flatMap(blockTexts);
}

describe('paste-ready markdown', () => {
  it.each([
    [
      'a bare URL',
      'see https://review.opendev.org/c/openstack/nova/+/123 now',
      'see https://review.opendev.org/c/openstack/nova/+/123 now',
    ],
    ['underscores inside words', 'cell_v2 and nova_compute', 'cell_v2 and nova_compute'],
    ['a bracketed word', 'the [quota] work', 'the [quota] work'],
    ['comparison signs and ampersands', 'a < b & c > d', 'a < b & c > d'],
    ['one tilde', 'about ~5 people', 'about ~5 people'],
    ['one star between numbers', '2*3', '2*3'],
    ['an e-mail address', 'mail a@example.org', 'mail a@example.org'],
    ['a meetbot command', '#action alice write it', '#action alice write it'],
    ['a hash not followed by a space', '#123 is the bug', '#123 is the bug'],
    ['a backslash before a letter', 'C:\\Users', 'C:\\Users'],
    ['the pad extensions', 'a == b and c++ or ++d', 'a == b and c++ or ++d'],
    ['emphasis typed as text', 'this is *not* bold', 'this is \\*not\\* bold'],
    ['underscores around a word', 'this is _not_ italic', 'this is \\_not\\_ italic'],
    ['a link typed as text', 'see [docs](http://x)', 'see [docs\\](http://x)'],
    ['an HTML tag typed as text', 'the <b> tag', 'the &lt;b> tag'],
    ['an entity typed as text', 'write &amp; for &', 'write &amp;amp; for &'],
    ['two tildes', '~~not struck~~', '\\~\\~not struck\\~\\~'],
    ['backticks typed as text', 'use `x` here', 'use \\`x\\` here'],
    ['a backslash before punctuation', 'a \\* b', 'a \\\\* b'],
    ['a heading typed as text', '# not a heading', '\\# not a heading'],
    ['a bullet typed as text', '- not a list', '\\- not a list'],
    ['a task typed as text', '- [ ] not a task', '\\- \\[ ] not a task'],
    ['a number typed as text', '1. not a list', '1\\. not a list'],
    ['a quote typed as text', '> not a quote', '\\> not a quote'],
    ['a rule typed as text', '***', '\\*\\*\\*'],
    ['a fence typed as text', '```js', '\\`\\`\\`js'],
    ['a rule of dashes typed as text', '---', '\\---'],
  ])('%s', (_name, input, expected) => {
    expect(paste(paragraph(text(input)))).toBe(`${expected}\n`);
  });

  it('writes links whose text is their address as autolinks, others as links', () => {
    const url = 'https://review.opendev.org/c/1_2_3';
    expect(paste(paragraph(text('see '), text(url, [{ type: 'link', attrs: { href: url } }])))).toBe(`see <${url}>\n`);
    expect(paste(paragraph(text('the spec', [{ type: 'link', attrs: { href: url } }])))).toBe(`[the spec](${url})\n`);
  });

  it('writes hard breaks as a backslash and leaves out empty paragraphs (no &nbsp;)', () => {
    const out = paste(paragraph(text('one'), { type: 'hardBreak' }, text('two')), paragraph(), paragraph(), paragraph(text('three')));
    expect(out).toBe('one\\\ntwo\n\nthree\n');
    expect(out).not.toContain('&nbsp;');
  });

  it('escapes delimiters that could pair with the marks around them', () => {
    expect(paste(paragraph(text('bold', [{ type: 'bold' }]), text(' and a * star')))).toBe('**bold** and a * star\n');
    expect(paste(paragraph(text('bold', [{ type: 'bold' }]), text(' and 2*3')))).toBe('**bold** and 2\\*3\n');
    expect(paste(paragraph(text('code_x', [{ type: 'code' }]), text(' and `')))).toBe('`code_x` and \\`\n');
  });

  it('reads back as the same text, block by block', () => {
    const corpus = [
      'cell_v2 and nova_compute, _emphasis_ and snake_case_names',
      'the [quota] work and [x](y) and [a][b] and [c]: d',
      'a < b & c > d, <div> and </div>, <!-- comment --> and &copy; &#169; &#xA9;',
      '2*3*4 and *stars* and ** double ** and a * lone star',
      '~5 people, ~~struck~~ and ~one~',
      'use `code` and ``two`` and a lone ` tick',
      'C:\\Users\\nova and a \\* b and a trailing \\',
      'see https://review.opendev.org/c/openstack/nova/+/123_4 and mail a@example.org',
      '# heading',
      '- bullet',
      '+ plus',
      '* star',
      '1. one',
      '2) two',
      '> quote',
      '***',
      '---',
      '___',
      '```',
      '~~~',
      '===',
      '[ ] task',
      '[x] done',
      '- [ ] listed task',
      '#action alice do it',
      '#agreed yes',
    ];
    for (const line of corpus) {
      const source = doc(paragraph(text(line)));
      const back = md.parseToJSON(md.serialize(source, { style: 'paste' }));
      expect(blockTexts(back), line).toEqual(blockTexts(source));
    }
  });
});
