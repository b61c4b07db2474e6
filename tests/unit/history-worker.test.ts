/**
 * The history worker's bounds: tasks beyond `maxWaiting` are refused at once with a 503, asks
 * for one key share one run, and a cached answer comes back without running again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiError } from '../../server/errors.js';
import { packSource } from '../../server/history/doc-source.js';
import type { HistoryTask } from '../../server/history/history-work.js';
import { HistoryWorker } from '../../server/history/history-worker.js';

const workers: HistoryWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.close();
});

function paragraphs(texts: string[]): Uint8Array {
  const doc = new Y.Doc();
  for (const text of texts) {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    doc.getXmlFragment('default').push([p]);
  }
  return Y.encodeStateAsUpdate(doc);
}

const jsonTask = (text: string): HistoryTask => ({ kind: 'json', source: packSource(paragraphs([text]), []) });
const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as { content: { content: { text: string }[] }[] };

describe('history worker', () => {
  it('refuses tasks past the waiting bound with a 503, shares runs per key and caches answers', async () => {
    const worker = new HistoryWorker({ maxWaiting: 2 });
    workers.push(worker);
    let prepared = 0;
    const prepare = (text: string) => async () => {
      prepared += 1;
      return jsonTask(text);
    };
    const first = worker.run('a', prepare('alpha'));
    const shared = worker.run('a', prepare('alpha'));
    const second = worker.run('b', prepare('beta'));
    const refused = worker.run('c', prepare('gamma'));
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 503 });
    expect(decode(await first).content[0].content[0].text).toBe('alpha');
    expect(await shared).toBe(await first);
    expect(decode(await second).content[0].content[0].text).toBe('beta');
    expect(prepared).toBe(2);
    expect(decode(await worker.run('a', prepare('never run'))).content[0].content[0].text).toBe('alpha');
    expect(prepared).toBe(2);
  });

  it('diffs two documents off the loop', async () => {
    const worker = new HistoryWorker();
    workers.push(worker);
    const body = await worker.run('d', async () => ({
      kind: 'diff',
      before: packSource(paragraphs(['one', 'two']), []),
      after: packSource(paragraphs(['one', 'three']), []),
      afterOnTop: false,
      reverse: false,
      envelope: { from: 1, to: 2 },
    }));
    const diff = JSON.parse(new TextDecoder().decode(body)) as { from: number; to: number; changes: { op: string; text: string }[] };
    expect(diff.from).toBe(1);
    expect(
      diff.changes
        .filter((c) => c.op === 'insert')
        .map((c) => c.text)
        .join(''),
    ).toContain('three');
    expect(
      diff.changes
        .filter((c) => c.op === 'delete')
        .map((c) => c.text)
        .join(''),
    ).toContain('two');
  });
});
