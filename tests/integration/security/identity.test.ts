/**
 * Posing as another author: an author's id is the secret in its HttpOnly cookie, so nothing the
 * server publishes (revisions, timeline, authorship, saved revisions) may carry it; others see a
 * public id, random, the same everywhere and over time. Replaying a published id as a cookie
 * writes as someone new. Data stored before public ids existed gets them when first shown.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { updateFrameOf, waitUntil } from '../../helpers/clients.js';
import { startInProcess, tempDataDir, type InProcessServer } from '../../helpers/server.js';

let server: InProcessServer;
const dataDir = tempDataDir();
const alice = `a.${randomBytes(16).toString('base64url')}`;

beforeAll(async () => {
  server = await startInProcess({ DATA_DIR: dataDir, REVISION_WINDOW_MS: '0' });
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A paragraph of `text` added by a fresh document with `clientID`. */
function paragraphUpdate(text: string, clientID: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('default').push([paragraph]);
  return Y.encodeStateAsUpdate(doc);
}

/** Writes `text` into `padId` over a raw socket that sends `cookie`, and waits until it is stored. */
async function writeAs(cookie: string | null, padId: string, text: string, client: number): Promise<void> {
  const ws = new WebSocket(`${server.wsUrl}/${padId}`, cookie ? { headers: { cookie } } : {});
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const before = (await server.app.store.getPad(padId))?.lastSeq ?? 0;
  ws.send(updateFrameOf(paragraphUpdate(text, client)));
  await waitUntil(
    () => (server.app.rooms.peek(padId)?.progress.lastSeq ?? 0) > before && server.app.rooms.peek(padId)!.isDurable,
    'stored',
  );
  ws.close();
}

async function text(path: string, init?: RequestInit): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1${path}`, init);
  expect(res.status, path).toBeLessThan(300);
  return res.text();
}

describe('author identity', () => {
  it('never publishes the id in an author cookie, only a public id that stays the same', async () => {
    await writeAs(`gp_author=${alice}`, 'identity', 'alice wrote this', 9001);
    await text('/pads/identity/saved-revisions', {
      method: 'POST',
      headers: { cookie: `gp_author=${alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'mine' }),
    });
    const published = await Promise.all(
      ['/pads/identity/revisions', '/pads/identity/timeline', '/pads/identity/authorship', '/pads/identity/saved-revisions'].map((path) =>
        text(path),
      ),
    );
    for (const body of published) expect(body).not.toContain(alice);
    const revisions = JSON.parse(published[0]) as { revisions: { authors: { id: string }[] }[] };
    const shown = revisions.revisions[0].authors[0].id;
    expect(shown).toMatch(/^p\.[A-Za-z0-9_-]{16}$/);
    const authorship = JSON.parse(published[2]) as { spans: { author: string | null }[]; clients: Record<string, string> };
    expect(authorship.spans.find((s) => s.author !== null)?.author).toBe(shown);
    expect(authorship.clients['9001']).toBe(shown);
    expect((JSON.parse(published[3]) as { saved: { author: string }[] }).saved[0].author).toBe(shown);
    // The same id later, and in the timeline.
    expect(await text('/pads/identity/timeline')).toContain(shown);
  });

  it('writes as someone new when a published id is replayed as the cookie', async () => {
    const revisions = JSON.parse(await text('/pads/identity/revisions')) as { revisions: { authors: { id: string }[] }[] };
    const aliceShown = revisions.revisions[0].authors[0].id;
    await writeAs(`gp_author=${aliceShown}`, 'identity', 'mallory', 9002);
    const after = JSON.parse(await text('/pads/identity/revisions')) as { revisions: { authors: { id: string }[] }[] };
    const mallory = after.revisions.at(-1)!.authors[0].id;
    expect(mallory).not.toBe(aliceShown);
    const stored = server.app.db!.prepare("SELECT author FROM updates WHERE pad_id = 'identity' ORDER BY seq DESC LIMIT 1").get() as {
      author: string;
    };
    expect(stored.author).not.toBe(alice);
  });

  it('shows authors of data stored before public ids existed under a new public id', async () => {
    await writeAs(`gp_author=${alice}`, 'identity-old', 'stored before', 9003);
    // As a file from before the migration: no public ids at all.
    server.app.db!.prepare('DELETE FROM author_public_ids').run();
    await server.close();
    server = await startInProcess({ DATA_DIR: dataDir, REVISION_WINDOW_MS: '0' });
    const body = await text('/pads/identity-old/authorship');
    expect(body).not.toContain(alice);
    const authorship = JSON.parse(body) as { spans: { author: string | null; text: string }[] };
    expect(authorship.spans).toEqual([{ author: expect.stringMatching(/^p\./), text: 'stored before' }]);
  });
});
