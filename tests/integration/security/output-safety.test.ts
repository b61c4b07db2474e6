/**
 * What the server writes out stays inert whatever clients put in a pad or an event:
 * - links a hostile client writes straight into the Y.Doc (`javascript:`, `data:`, character
 *   references that spell them, `/\host` that leads elsewhere) are plain text in every markdown
 *   and HTML export (pad, revision, recap: markdown, text and JSON) and have no address in
 *   text recaps; ordered lists with a nonsense start are numbered 1.;
 * - a read-only export names the pad by its read-only id and leaves the pad's text alone;
 * - a team name with CRLF adds nothing to the team's calendar;
 * - requests refused before any route (414, 431, unknown method, bad percent-encoding) get the
 *   JSON error shape with CSP and nosniff; revision exports get `default-src 'none'`.
 */
import ICAL from 'ical.js';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ADMIN_TOKEN, admin } from '../../helpers/events.js';
import { openRaw, updateFrameOf, waitUntil } from '../../helpers/clients.js';
import { startInProcess, type InProcessServer } from '../../helpers/server.js';

const HOSTILE_HREFS = [
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'javascript&colon;alert(1)',
  '&#106;avascript:alert(1)',
  'java&Tab;script:alert(1)',
  '/\\evil.example',
  '\\\\evil.example',
];
const DANGER = [/javascript/i, /data:text/i, /evil\.example/, /NaN/];

let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcess({ ADMIN_TOKEN, REVISION_WINDOW_MS: '0' });
});

afterAll(async () => {
  await server?.close();
});

/** Writes `update` into `padId` as a client would, bypassing the editor's link checks. */
async function writeRaw(padId: string, update: Uint8Array): Promise<void> {
  const raw = await openRaw(`${server.wsUrl}/${padId}`);
  raw.ws.send(updateFrameOf(update));
  await waitUntil(() => (server.app.rooms.peek(padId)?.progress.lastSeq ?? 0) > 0 && server.app.rooms.peek(padId)!.isDurable, 'stored');
  raw.ws.close();
}

function hostileDoc(): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  for (const href of [...HOSTILE_HREFS, 'https://ok.example/?a=1&b=2']) {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    text.insert(0, `link to ${href.length}`, { link: { href, title: null } });
    paragraph.insert(0, [text]);
    fragment.push([paragraph]);
  }
  for (const start of ['abc', 2.5, -3, 1e12]) {
    const list = new Y.XmlElement('orderedList');
    list.setAttribute('start', start as never);
    const item = new Y.XmlElement('listItem');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`item of ${String(start)}`)]);
    item.insert(0, [paragraph]);
    list.insert(0, [item]);
    fragment.push([list]);
  }
  return Y.encodeStateAsUpdate(doc);
}

async function get(path: string): Promise<Response> {
  const res = await fetch(`${server.baseUrl}${path}`);
  expect(res.status, path).toBe(200);
  return res;
}

describe('links and lists in exports', () => {
  it('are inert in pad, revision and recap exports (markdown and HTML), and lists start at a number', async () => {
    await writeRaw('hostile-links', hostileDoc());
    const paths = [
      '/api/v1/pads/hostile-links/export.md',
      '/api/v1/pads/hostile-links/export.html',
      '/api/v1/pads/hostile-links/export.txt',
      '/api/v1/pads/hostile-links/revisions/1/export.md',
      '/api/v1/pads/hostile-links/revisions/1/export.html',
      '/api/v1/pads/hostile-links/recap.md',
      '/api/v1/pads/hostile-links/recap.txt',
    ];
    for (const path of paths) {
      const body = await (await get(path)).text();
      for (const danger of DANGER) expect(body, `${path} ${danger}`).not.toMatch(danger);
      expect(body, path).toMatch(/item of abc/);
    }
    const md = await (await get('/api/v1/pads/hostile-links/export.md')).text();
    expect(md).toContain('[link to 27](https://ok.example/?a=1&b=2)');
    expect(await (await get('/api/v1/pads/hostile-links/recap.txt')).text()).toContain('link to 27 <https://ok.example/?a=1&b=2>');
    expect(md).toMatch(/^1\. item of abc$/m);
    expect(md).toMatch(/^1\. item of 2\.5$/m);
  });
});

describe('links in event recaps', () => {
  it('are inert in markdown, text and JSON, whole and per team', async () => {
    expect(
      (await admin(server.baseUrl, 'PUT', '/api/v1/events/hl', { name: 'Hostile PTG', teams: [{ slug: 'x', name: 'X' }] })).status,
    ).toBe(201);
    await writeRaw('hl-x', hostileDoc());
    for (const path of [
      '/api/v1/events/hl/recap.md',
      '/api/v1/events/hl/recap.txt',
      '/api/v1/events/hl/recap.md?team=x',
      '/api/v1/events/hl/recap.json',
    ]) {
      const body = await (await get(path)).text();
      for (const danger of DANGER) expect(body, `${path} ${danger}`).not.toMatch(danger);
      expect(body, path).toMatch(/link to 27/);
    }
    const recap = await (await get('/api/v1/events/hl/recap.md')).text();
    expect(recap).toContain('[link to 27](https://ok.example/?a=1&b=2)');
  });
});

describe('read-only exports', () => {
  it("name the pad by the read-only id and keep the pad's own words", async () => {
    await writeRaw('the', Y.encodeStateAsUpdate(paragraphDoc('the cat sat on the mat')));
    const readOnlyId = (await server.app.store.readOnlyIdOf('the'))!;
    const md = await (await get(`/api/v1/pads/${readOnlyId}/export.md`)).text();
    expect(md.trim()).toBe('the cat sat on the mat');
    const html = await get(`/api/v1/pads/${readOnlyId}/export.html?download=1`);
    expect(html.headers.get('content-disposition')).toBe(`attachment; filename="${readOnlyId}.html"`);
    const body = await html.text();
    expect(body).toContain(`<title>${readOnlyId}</title>`);
    expect(body).toContain('the cat sat on the mat');
  });
});

function paragraphDoc(text: string): Y.Doc {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('default').push([paragraph]);
  return doc;
}

describe('calendars', () => {
  it('keep a team name with CRLF on one line', async () => {
    const res = await admin(server.baseUrl, 'PUT', '/api/v1/events/crlf', {
      name: 'CRLF PTG',
      startsOn: '2026-11-30',
      endsOn: '2026-11-30',
      timeZone: 'UTC',
      rooms: ['Room\r\nX-INJECTED:room'],
      slots: [{ name: 'am', start: '09:00', end: '10:00' }],
      teams: [{ slug: 'nova', name: 'Nova\r\nX-INJECTED:1\r\nBEGIN:VEVENT\r\nSUMMARY:evil\r\nEND:VEVENT' }],
      bookings: [{ room: 'Room\r\nX-INJECTED:room', day: '2026-11-30', slot: 'am', team: 'nova' }],
    });
    expect(res.status).toBeLessThan(300);
    const text = await (await get('/e/crlf/nova.ics')).text();
    expect(text.split('\r\n').filter((line) => /^(X-INJECTED|SUMMARY:evil)/.test(line))).toEqual([]);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(1);
    expect(calendar.getAllProperties().map((p) => p.name)).not.toContain('x-injected');
  });
});

/** Sends raw bytes and reads the answer until the server closes the connection. */
function rawExchange(request: string): Promise<string> {
  const { port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

describe('answers before any route', () => {
  it.each([
    ['414, a path parameter past the limit', `GET /api/v1/pads/${'a'.repeat(1500)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 414],
    ['431, headers past the limit', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`, 431],
    ['an unknown method', 'BREW /pot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 501],
    ['bad percent-encoding', 'GET /api/v1/pads/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
  ])('%s: JSON error shape, CSP and nosniff', async (_name, request, status) => {
    const answer = await rawExchange(request);
    const [head, body] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toMatch(/^content-type: application\/json/im);
    expect(head).toMatch(/^content-security-policy: default-src 'none'/im);
    expect(head).toMatch(/^x-content-type-options: nosniff/im);
    const error = (JSON.parse(body) as { error: { code: string; message: string } }).error;
    expect(Object.keys(error).sort()).toEqual(['code', 'message']);
  });

  it("sends revision HTML exports with default-src 'none' and nosniff", async () => {
    const res = await get('/api/v1/pads/hostile-links/revisions/1/export.html');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
