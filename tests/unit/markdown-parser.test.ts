/** The import parser's limits: nesting refused up front, slow input stopped by the time limit. */
import { afterAll, describe, expect, it } from 'vitest';
import { MarkdownParser, MarkdownTooComplex, nestingProblem } from '../../server/markdown/markdown-parser.js';

const parser = new MarkdownParser({ timeoutMs: 1500 });
afterAll(() => parser.close());

describe('MarkdownParser', () => {
  it('parses in a worker', async () => {
    const doc = await parser.parse('# Hi\n\n- [ ] task @a\n');
    expect(doc.content?.map((n) => n.type)).toEqual(['heading', 'taskList']);
  });

  it('refuses deep nesting at once, with the line number', async () => {
    expect(nestingProblem('fine\n' + '> '.repeat(50) + 'ok')).toBeNull();
    expect(nestingProblem('-'.repeat(5000))).toBeNull();
    const started = performance.now();
    await expect(parser.parse('fine\n' + '>'.repeat(100_000))).rejects.toThrow(/Line 2 nests/);
    await expect(parser.parse('- '.repeat(1000) + 'x')).rejects.toBeInstanceOf(MarkdownTooComplex);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('stops a parse that takes too long, and the next parse works', async () => {
    const started = performance.now();
    await expect(parser.parse('_a'.repeat(400_000))).rejects.toThrow(/longer than 1500 ms/);
    expect(performance.now() - started).toBeLessThan(3000);
    const doc = await parser.parse('after **it**');
    expect(doc.content?.[0].type).toBe('paragraph');
  });
});
