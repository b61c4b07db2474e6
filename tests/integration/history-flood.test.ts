/**
 * History endpoints on a large pad under a flood of anonymous requests: 40 diffs and
 * authorship views at once must not stop the server for everyone else. Rebuilding revisions,
 * diffing and walking authorship run in a worker thread, a few at a time, and repeated asks are
 * answered from a cache; /healthz keeps answering quickly throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, synced, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { worstHealthLatency } from '../helpers/health-probe.js';
import { startServer, type ChildServer } from '../helpers/server.js';

const PAD = 'history-flood';
const PARAGRAPHS = 3000;
/** What a stalled loop would exceed many times over on the 2-core CI machine. */
const WORST_HEALTH_MS = 1000;

let server: ChildServer;
let writer: ProviderClient;

beforeAll(async () => {
  // Every update its own revision: thousands of revisions, keyframes, a 150k-character text.
  server = await startServer({ env: { REVISION_WINDOW_MS: '0', MAX_UPDATES_PER_SECOND: '100000', MAX_BYTES_PER_SECOND: '100000000' } });
  writer = connectProvider(server.wsUrl, PAD);
  await synced(writer);
  const fragment = writer.doc.getXmlFragment('default');
  for (let i = 0; i < PARAGRAPHS; i += 1) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`paragraph ${i} ${'lorem ipsum dolor '.repeat(3)}`)]);
    fragment.insert(fragment.length, [paragraph]);
  }
  await waitUntil(() => writer.provider.wsconnected && writer.provider.synced, 'writer connected');
  const updates = async () => ((await (await fetch(`${server.baseUrl}/api/v1/pads/${PAD}`)).json()) as { updates: number }).updates;
  await waitUntil(async () => (await updates()) >= PARAGRAPHS, `${PARAGRAPHS} paragraphs stored`, 60_000, 100);
  expect(await updates()).toBeGreaterThanOrEqual(PARAGRAPHS);
  // The index is built once (it is sliced, and not what this test is about).
  expect((await fetch(`${server.baseUrl}/api/v1/pads/${PAD}/timeline`)).status).toBe(200);
}, 180_000);

afterAll(async () => {
  writer?.destroy();
  await server?.kill();
});

describe('history endpoints under a flood', () => {
  it('answer 40 concurrent diffs and authorship views while /healthz stays fast', async () => {
    const { lastRev } = (await (await fetch(`${server.baseUrl}/api/v1/pads/${PAD}/timeline?buckets=1`)).json()) as { lastRev: number };
    expect(lastRev).toBeGreaterThan(1000);
    const urls = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? `${server.baseUrl}/api/v1/pads/${PAD}/diff?from=${1 + ((i * 97) % (lastRev - 10))}&to=${lastRev - (i % 7)}`
        : `${server.baseUrl}/api/v1/pads/${PAD}/authorship`,
    );
    const flood = Promise.all(
      urls.map(async (url) => {
        const res = await fetch(url);
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const { worstMs, result: statuses } = await worstHealthLatency(server.baseUrl, flood);
    // Each is answered, or refused with 503 and Retry-After while the history workers are full.
    for (const status of statuses) expect([200, 503]).toContain(status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(worstMs, `worst /healthz latency during the flood: ${Math.round(worstMs)} ms`).toBeLessThan(WORST_HEALTH_MS);
  });

  it('gives the same answers as before: a diff of two revisions and the authorship of the live text', async () => {
    const diff = (await (await fetch(`${server.baseUrl}/api/v1/pads/${PAD}/diff?from=10&to=12`)).json()) as {
      changes: { op: string; text: string }[];
    };
    expect(
      diff.changes
        .filter((c) => c.op === 'insert')
        .map((c) => c.text)
        .join(''),
    ).toMatch(/paragraph 10 .*paragraph 11 /s);
    expect(diff.changes.some((c) => c.op === 'delete')).toBe(false);
    const authorship = (await (await fetch(`${server.baseUrl}/api/v1/pads/${PAD}/authorship`)).json()) as {
      spans: { author: string | null; text: string }[];
    };
    const text = authorship.spans.map((s) => s.text).join('');
    expect(text).toContain(`paragraph ${PARAGRAPHS - 1} `);
    expect(authorship.spans.filter((s) => s.author !== null).length).toBeGreaterThan(0);
  });
});
