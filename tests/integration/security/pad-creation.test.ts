/**
 * Pads are created by their first write (issue 23 item 14): opening a socket, syncing and
 * publishing presence (what a crawler, a typo'd link or a viewer without the edit key does)
 * stores no pad, so nobody can fill the pads table by opening sockets; the first write creates
 * the pad with its read-only id.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { synced, waitUntil } from '../../helpers/clients.js';
import { useProviderSuite } from '../../helpers/provider-suite.js';

const ADMIN = 'pad-creation-admin';

describe('pad creation', () => {
  const suite = useProviderSuite({ ADMIN_TOKEN: ADMIN });

  const padRows = (padId: string) =>
    (suite.server.app.db!.prepare('SELECT count(*) AS n FROM pads WHERE id = ?').get(padId) as { n: number }).n;
  const meta = (padId: string) => fetch(`${suite.server.baseUrl}/api/v1/pads/${padId}`);

  function paragraph(doc: Y.Doc, text: string): void {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    doc.getXmlFragment('default').push([p]);
  }

  it('stores nothing for a pad only opened, and creates it on the first write', async () => {
    const visitor = suite.client('opened-only');
    await synced(visitor);
    visitor.provider.awareness.setLocalStateField('user', { name: 'Visitor', color: '#1971c2' });
    await waitUntil(
      () => suite.server.app.rooms.peek('opened-only')?.awareness.states().has(visitor.doc.clientID) === true,
      'presence received',
    );
    expect(padRows('opened-only')).toBe(0);
    expect((await meta('opened-only')).status).toBe(404);

    paragraph(visitor.doc, 'first words');
    await waitUntil(
      () => padRows('opened-only') === 1 && suite.server.app.rooms.peek('opened-only')!.isDurable,
      'pad created by the write',
    );
    const res = await meta('opened-only');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { readOnlyId: string; updates: number }).readOnlyId).toMatch(/^r\./);
  });

  it('stores nothing for a viewer without the edit key, whose writes are dropped', async () => {
    const put = await fetch(`${suite.server.baseUrl}/api/v1/pads/keyed-pad/edit-key`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: 'the-edit-key' }),
    });
    expect(put.status).toBeLessThan(300);
    const viewer = suite.client('keyed-pad');
    await synced(viewer);
    paragraph(viewer.doc, 'dropped');
    // A socket's frames are handled in order: once its presence is in, the write was handled.
    viewer.provider.awareness.setLocalStateField('user', { name: 'Viewer', color: '#1971c2' });
    await waitUntil(
      () => suite.server.app.rooms.peek('keyed-pad')?.awareness.states().has(viewer.doc.clientID) === true,
      'presence received',
    );
    expect(suite.server.app.rooms.peek('keyed-pad')!.currentDoc().getXmlFragment('default').length).toBe(0);
    expect(padRows('keyed-pad')).toBe(0);
    expect((await meta('keyed-pad')).status).toBe(404);
  });
});
