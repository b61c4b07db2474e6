/**
 * The contract of common/markdown/markdown-manager-internals.ts: the private methods of
 * @tiptap/markdown's MarkdownManager that pad-markdown.ts wraps exist on the installed version,
 * with the parameters and results expected, and the manager calls them (through the instance)
 * for what it renders. A failure here after an upgrade of @tiptap/markdown means the escaping
 * in pad-markdown.ts must be looked at again.
 */
import type { JSONContent } from '@tiptap/core';
import { MarkdownManager } from '@tiptap/markdown';
import { describe, expect, it } from 'vitest';
import { padExtensions } from '../../common/extensions.js';
import { MANAGER_INTERNALS, type ManagerInternals, wrapManagerInternal } from '../../common/markdown/markdown-manager-internals.js';
import { padMarkdown } from '../../common/markdown/pad-markdown.js';

const text = (value: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });

/** Uses every wrapped method: text, marks (bold, link, code), a table, a code block. */
const SAMPLE = doc(
  paragraph(
    text('plain '),
    text('bold', [{ type: 'bold' }]),
    text(' '),
    text('link', [{ type: 'link', attrs: { href: 'https://example.org' } }]),
  ),
  paragraph(text('code', [{ type: 'code' }])),
  {
    type: 'table',
    content: [{ type: 'tableRow', content: [{ type: 'tableHeader', content: [paragraph(text('head'))] }] }],
  },
  { type: 'codeBlock', attrs: { language: 'js' }, content: [text('let a = 1;')] },
);

function internalsOf(manager: MarkdownManager): ManagerInternals {
  return manager as unknown as ManagerInternals;
}

describe('MarkdownManager internals', () => {
  it.each(Object.entries(MANAGER_INTERNALS))('has %s() with %i declared parameters', (name, parameters) => {
    const method = (MarkdownManager.prototype as unknown as Record<string, unknown>)[name];
    expect(typeof method).toBe('function');
    expect((method as (...args: unknown[]) => unknown).length).toBe(parameters);
  });

  it('answers as the wrappers expect', () => {
    const manager = internalsOf(new MarkdownManager({ extensions: padExtensions() }));
    const plain = text('a*b <c>');
    expect(manager.encodeTextForMarkdown('a*b <c>', plain, paragraph(plain))).toBe('a\\*b &lt;c&gt;');
    const code = text('a*b', [{ type: 'code' }]);
    expect(manager.encodeTextForMarkdown('a*b', code, paragraph(code))).toBe('a*b');
    expect(manager.getMarkOpening('bold', { type: 'bold' })).toBe('**');
    expect(manager.getMarkClosing('bold', { type: 'bold' })).toBe('**');
    const link = { type: 'link', attrs: { href: 'https://example.org' } };
    expect(manager.getMarkOpening('link', link)).toBe('[');
    expect(manager.getMarkClosing('link', link)).toBe('](https://example.org)');
    expect(manager.renderNodeToMarkdown({ type: 'heading', attrs: { level: 2 }, content: [text('Hi')] })).toBe('## Hi');
  });

  it('calls each one through the instance while serializing, so a wrapper set there takes effect', () => {
    const reference = new MarkdownManager({ extensions: padExtensions() }).serialize(SAMPLE);
    const manager = new MarkdownManager({ extensions: padExtensions() });
    const calls: Record<string, number> = {};
    for (const name of Object.keys(MANAGER_INTERNALS) as (keyof ManagerInternals)[]) {
      calls[name] = 0;
      wrapManagerInternal(
        manager,
        name,
        (original) =>
          ((...args: unknown[]) => {
            calls[name] += 1;
            return (original as (...a: unknown[]) => string)(...args);
          }) as never,
      );
    }
    expect(manager.serialize(SAMPLE)).toBe(reference);
    for (const name of Object.keys(MANAGER_INTERNALS)) expect(calls[name], name).toBeGreaterThan(0);
  });

  it('refuses to wrap a method the installed version does not have', () => {
    const manager = new MarkdownManager({ extensions: padExtensions() });
    expect(() => wrapManagerInternal(manager, 'renderMarkdownNode' as keyof ManagerInternals, (original) => original)).toThrow(TypeError);
  });

  it("round-trips what only the wrappers keep: line-start syntax, a table's pipe, backticks in code", () => {
    const md = padMarkdown();
    const tricky = doc(
      paragraph(text('# not a heading')),
      paragraph(text('1. not a list')),
      paragraph(text('a ==b== ++c++')),
      paragraph(text('x`y', [{ type: 'code' }])),
      {
        type: 'table',
        content: [
          {
            type: 'tableRow',
            content: [{ type: 'tableHeader', attrs: { colspan: 1, rowspan: 1, colwidth: null }, content: [paragraph(text('a | b'))] }],
          },
        ],
      },
      { type: 'codeBlock', attrs: { language: null }, content: [text('```\ninside\n```')] },
    );
    const written = md.serialize(tricky);
    expect(written).toContain('\\# not a heading');
    expect(written).toContain('a \\| b');
    expect(written).toContain('````');
    expect(md.parse(written).toJSON()).toEqual(md.schema.nodeFromJSON(tricky).toJSON());
  });
});
