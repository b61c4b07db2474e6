/**
 * A saved (labelled) revision keeps the content it had when it was saved. One author's edits
 * within the revision window (REVISION_WINDOW_MS) join the open revision; once that revision is
 * saved, the next edit starts a new one instead of growing what the label points at. A real
 * server and a stock y-websocket client; the window is long so that only the save can split.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, synced, waitUntil, type ProviderClient } from '../helpers/clients.js';
import { appendParagraphs } from '../helpers/events.js';
import { startInProcess, type InProcessServer } from '../helpers/server.js';

describe('a saved revision', () => {
  let server: InProcessServer;
  let client: ProviderClient | null = null;

  beforeAll(async () => {
    server = await startInProcess({ REVISION_WINDOW_MS: String(10 * 60_000) });
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });

  const api = (path: string, init?: RequestInit) => fetch(`${server.baseUrl}/api/v1${path}`, init);
  const text = async (path: string) => (await api(path)).text();

  it('keeps its content when the same person goes on typing within the revision window', async () => {
    const padId = 'saved-revision-kept';
    client = connectProvider(server.wsUrl, padId);
    await synced(client);
    appendParagraphs(client.doc, ['First version.']);
    await waitUntil(async () => (await text(`/pads/${padId}/export.txt`)).includes('First version.'), 'first edit stored');

    const res = await api(`/pads/${padId}/saved-revisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'Before the vote' }),
    });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as { rev: number };

    appendParagraphs(client.doc, ['Second version.']);
    await waitUntil(async () => (await text(`/pads/${padId}/export.txt`)).includes('Second version.'), 'second edit stored');

    expect(await text(`/pads/${padId}/revisions/${saved.rev}/export.txt`)).toBe('First version.\n');
    const { revisions } = (await (await api(`/pads/${padId}/revisions`)).json()) as { revisions: { rev: number }[] };
    expect(revisions.map((r) => r.rev)).toEqual([saved.rev, saved.rev + 1]);
    expect(await text(`/pads/${padId}/revisions/${saved.rev + 1}/export.txt`)).toBe('First version.\n\nSecond version.\n');
  });
});
