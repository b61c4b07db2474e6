/**
 * The import worker's limits: nesting refused up front, slow input stopped by the time limit,
 * documents with too many nodes or too many bytes for the pad refused, too many waiting imports
 * refused at once; and the update it computes makes a pad's content what was imported.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ImportTooLarge,
  ImporterBusy,
  MarkdownImporter,
  MarkdownTooComplex,
  nestingProblem,
} from '../../server/markdown/markdown-importer.js';

const importer = new MarkdownImporter({ timeoutMs: 1500, maxNodes: 1000, maxWaiting: 2 });
afterAll(() => importer.close());

const emptyState = async () => Y.encodeStateAsUpdate(new Y.Doc());
const importMarkdown = (markdown: string, maxUpdateBytes = 1e6) =>
  importer.replacement({ source: { markdown }, state: emptyState, maxUpdateBytes });

function blocksOf(update: Uint8Array | null): string[] {
  const doc = new Y.Doc();
  if (update) Y.applyUpdate(doc, update);
  return doc
    .getXmlFragment('default')
    .toArray()
    .map((node) => (node as Y.XmlElement).nodeName);
}

describe('MarkdownImporter', () => {
  it('computes the update in a worker', async () => {
    expect(blocksOf(await importMarkdown('# Hi\n\n- [ ] task @a\n'))).toEqual(['heading', 'taskList']);
    const text = await importer.replacement({ source: { text: 'one\n\ntwo' }, state: emptyState, maxUpdateBytes: 1e6 });
    expect(blocksOf(text)).toEqual(['paragraph', 'paragraph']);
  });

  it('answers null when the content is already what is imported', async () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await importMarkdown('same'))!);
    const again = await importer.replacement({
      source: { markdown: 'same' },
      state: async () => Y.encodeStateAsUpdate(doc),
      maxUpdateBytes: 1e6,
    });
    expect(again).toBeNull();
  });

  it('refuses deep nesting at once, with the line number', async () => {
    expect(nestingProblem('fine\n' + '> '.repeat(50) + 'ok')).toBeNull();
    expect(nestingProblem('-'.repeat(5000))).toBeNull();
    const started = performance.now();
    await expect(importMarkdown('fine\n' + '>'.repeat(100_000))).rejects.toThrow(/Line 2 nests/);
    await expect(importMarkdown('- '.repeat(1000) + 'x')).rejects.toBeInstanceOf(MarkdownTooComplex);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses a document with too many nodes, or too large for what the pad has left', async () => {
    await expect(importMarkdown('a\n=\n'.repeat(1200))).rejects.toThrow(/more than 1000 blocks/);
    await expect(importMarkdown('word '.repeat(5000), 1000)).rejects.toBeInstanceOf(ImportTooLarge);
  });

  it('stops an import that takes too long, and the next one works', async () => {
    const started = performance.now();
    await expect(importMarkdown('_a'.repeat(400_000))).rejects.toThrow(/longer than 1500 ms/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(blocksOf(await importMarkdown('after **it**'))).toEqual(['paragraph']);
  });

  it('refuses imports past the waiting bound at once', async () => {
    const pending = [importMarkdown('one'), importMarkdown('two'), importMarkdown('three')];
    await expect(importMarkdown('four')).rejects.toBeInstanceOf(ImporterBusy);
    await Promise.allSettled(pending);
  });
});
