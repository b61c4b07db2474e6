/**
 * The fixture corpus of realistic PTG notes (tests/fixtures/markdown): importing and exporting
 * keeps the document (same ProseMirror JSON when read back), export is a fixed point, and the
 * text a person reads survives.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';
import { padToHtmlDocument } from '../../common/markdown/pad-html.js';
import { padToPlainText } from '../../common/markdown/pad-text.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'markdown');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort();
const md = padMarkdown();

describe('markdown fixture corpus', () => {
  it('has at least 12 documents', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of files) {
    const source = readFileSync(join(dir, file), 'utf8');

    it(`${file}: import -> export -> import gives the same document, and export is a fixed point`, () => {
      const imported = md.parse(source);
      const exported = md.serialize(imported);
      const reimported = md.parse(exported);
      expect(reimported.toJSON()).toEqual(imported.toJSON());
      expect(md.serialize(md.parse(exported))).toBe(exported);
    });

    it(`${file}: the words survive in markdown, HTML and text`, () => {
      const imported = md.parse(source);
      const words = source
        .replace(/^(```|~~~).*$/gm, ' ')
        .replace(/&\w+;/g, ' ')
        .replace(/\[[^\]]*\]\([^)]*\)/g, ' ')
        .replace(/<[^>]*>/g, ' ')
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length >= 3 && /\p{L}/u.test(w));
      const text = padToPlainText(imported.toJSON());
      const html = padToHtmlDocument(imported.toJSON(), file);
      for (const word of new Set(words)) {
        expect(text, `"${word}" in text`).toContain(word);
        expect(html, `"${word}" in HTML`).toContain(word);
      }
    });
  }

  it('keeps specific meaning: ordered start, task state, table cells, links, code language', () => {
    const start = md.parse(readFileSync(join(dir, '11-ordered-start.md'), 'utf8')).toJSON();
    expect(JSON.stringify(start)).toContain('"start":5');
    const tasks = md.serialize(md.parse(readFileSync(join(dir, '02-cinder-actions.md'), 'utf8')));
    expect(tasks).toContain('- [ ] Write the backup encryption spec @rosmaita');
    expect(tasks).toContain('  - [x] Nested: done already');
    expect(tasks).toContain('    - [ ] Deeper: release note for the fix');
    const table = md.serialize(md.parse(readFileSync(join(dir, '03-neutron-table.md'), 'utf8')));
    expect(table).toContain('Port \\| trunk details');
    const links = md.serialize(md.parse(readFileSync(join(dir, '05-links.md'), 'utf8')));
    expect(links).toContain('[old pad](https://etherpad.opendev.org/p/nova-ptg "Old pad")');
    expect(links).toContain('(https://en.wikipedia.org/wiki/Foo_\\(bar\\))');
    const code = md.serialize(md.parse(readFileSync(join(dir, '04-code-samples.md'), 'utf8')));
    expect(code).toContain('```bash\n');
    expect(code).toContain('````markdown\n```python');
    const escaped = md.parse(readFileSync(join(dir, '09-escaping.md'), 'utf8'));
    expect(escaped.textContent).toContain('# Not a heading, just a hash.');
    expect(escaped.textContent).toContain('2 * 3 * 4');
    expect(escaped.textContent).toContain('<b>not bold</b>');
    expect(escaped.textContent).toContain('C:\\Users\\nova');
  });

  it('keeps raw HTML inert and drops script links', () => {
    const doc = md.parse(readFileSync(join(dir, '12-raw-html.md'), 'utf8'));
    const html = padToHtmlDocument(doc.toJSON(), 'raw');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/onerror=/i);
    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    expect(JSON.stringify(doc.toJSON())).not.toMatch(/"href":"(javascript|data):/i);
  });
});
