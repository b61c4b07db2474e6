/**
 * Markdown benchmark (`npm run bench -- markdown`, or `node --import tsx bench/markdown.ts`):
 * - Export: the automerge-paper trace's final text (about 105,000 characters) imported as one
 *   paragraph per line; the conversion (Y.Doc -> ProseMirror -> markdown / HTML / text) timed
 *   in-process, and `GET /api/v1/pads/<padId>/export.md` timed over loopback.
 * - Recap: an event with 40 teams, each main pad about 10,000 characters of seeded PTG-style
 *   notes (headings, tasks, decisions, questions); `GET /api/v1/events/<event>/recap.md` timed
 *   with the pads loaded and again right after a restart (every pad read from SQLite); also as
 *   text, as the recap page's JSON, and by session (which reads each pad's update log).
 * - Import: `PUT /api/v1/pads/<padId>/content` of a 1 MiB realistic markdown document.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { readPadDoc, replacementUpdate } from '../common/markdown/pad-content.js';
import { padToHtmlDocument } from '../common/markdown/pad-html.js';
import { padMarkdown } from '../common/markdown/pad-markdown.js';
import { padToPlainText } from '../common/markdown/pad-text.js';
import { createGatherpad } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { plainTextDoc } from '../server/markdown/plain-text-doc.js';
import { machine, ms, summarize } from './lib/stats.js';
import { prng } from './lib/stats.js';

const ADMIN = 'bench-admin-token';
const TEAMS = 40;
const PAD_CHARS = 10_000;

function traceText(): string {
  const path = join(import.meta.dirname, '..', '..', 'shared', 'data', 'traces', 'automerge-paper.json.gz');
  return (JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { endContent: string }).endContent;
}

const WORDS = [
  'placement',
  'quota',
  'upgrade',
  'driver',
  'release',
  'review',
  'api',
  'volume',
  'network',
  'gate',
  'policy',
  'cells',
  'scheduler',
  'image',
  'backup',
  'the',
  'and',
  'we',
  'should',
  'migrate',
  'spec',
  'operators',
];

/** Seeded PTG notes of about `chars` characters. */
function ptgNotes(random: () => number, chars: number, team: string): string {
  const sentence = () => {
    const n = 6 + Math.floor(random() * 10);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]);
    if (random() < 0.2) words[1] = `**${words[1]}**`;
    if (random() < 0.1) words[3] = `\`${words[3]}\``;
    return `${words.join(' ')}.`;
  };
  const parts = [`# ${team} PTG notes`];
  let topic = 0;
  while (parts.join('\n\n').length < chars) {
    parts.push(`## Topic ${++topic}`, `${sentence()} ${sentence()} ${sentence()}`);
    parts.push(
      ['- [ ] ' + sentence() + ' @owner' + topic, '- [x] ' + sentence(), '- [ ] (' + team.toLowerCase() + ') ' + sentence()].join('\n'),
    );
    if (topic % 2 === 0) parts.push(`AGREED: ${sentence()}`);
    if (topic % 3 === 0) parts.push(`QUESTION: ${sentence()}?`);
  }
  return parts.join('\n\n') + '\n';
}

function time<T>(fn: () => T): [T, number] {
  const started = performance.now();
  const value = fn();
  return [value, performance.now() - started];
}

async function timeRequests(url: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    times.push(performance.now() - started);
  }
  return times;
}

export async function run(): Promise<string> {
  const md = padMarkdown();
  const lines: string[] = [];

  // Export, in-process.
  const text = traceText();
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, replacementUpdate(ydoc, md.schema.nodeFromJSON(plainTextDoc(text)))!);
  const paragraphs = ydoc.getXmlFragment('default').length;
  for (let i = 0; i < 5; i++) md.serialize(readPadDoc(ydoc, md.schema).toJSON()); // warm up
  const toMd: number[] = [];
  const toHtml: number[] = [];
  const toTxt: number[] = [];
  let mdBytes = 0;
  for (let i = 0; i < 30; i++) {
    const [out, t] = time(() => md.serialize(readPadDoc(ydoc, md.schema).toJSON()));
    mdBytes = Buffer.byteLength(out);
    toMd.push(t);
    toHtml.push(time(() => padToHtmlDocument(readPadDoc(ydoc, md.schema).toJSON(), 'bench'))[1]);
    toTxt.push(time(() => padToPlainText(readPadDoc(ydoc, md.schema).toJSON()))[1]);
  }
  const sMd = summarize(toMd);
  const sHtml = summarize(toHtml);
  const sTxt = summarize(toTxt);
  lines.push(
    `- Export of the automerge-paper final text (${text.length} characters, ${paragraphs} paragraphs, one per line; ${mdBytes} bytes of markdown), in-process, 30 runs: markdown p50 ${ms(sMd.p50)}, max ${ms(sMd.max)}; HTML p50 ${ms(sHtml.p50)}, max ${ms(sHtml.max)}; text p50 ${ms(sTxt.p50)}, max ${ms(sTxt.max)} (target < 50 ms)`,
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'gatherpad-bench-md-'));
  const env = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: ADMIN,
    SQLITE_SYNCHRONOUS: 'NORMAL',
    UNLOAD_DELAY_MS: '600000',
    MAX_IMPORT_BYTES: String(2 * 1024 * 1024),
  };
  let app = await createGatherpad(loadConfig([], env));
  let base = await app.listen();
  try {
    const put = async (padId: string, body: string, type = 'text/markdown') => {
      const res = await fetch(`${base}/api/v1/pads/${padId}/content`, { method: 'PUT', headers: { 'content-type': type }, body });
      if (!res.ok) throw new Error(`PUT ${padId}: ${res.status} ${await res.text()}`);
    };
    await put('bench-paper', text, 'text/plain');
    const http = summarize(await timeRequests(`${base}/api/v1/pads/bench-paper/export.md`, 50));
    lines.push(
      `- \`GET /api/v1/pads/<padId>/export.md\` of that pad over loopback, 50 sequential requests: p50 ${ms(http.p50)}, p95 ${ms(http.p95)}, max ${ms(http.max)}`,
    );

    // Import of about 1 MiB of markdown.
    const random = prng(7);
    let big = '';
    while (big.length < 1024 * 1024 - 12_000) big += ptgNotes(random, 10_000, 'Import');
    const importTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await put(`bench-import-${i}`, big);
      importTimes.push(performance.now() - started);
    }
    lines.push(
      `- \`PUT /api/v1/pads/<padId>/content\` of ${Buffer.byteLength(big)} bytes of PTG-style markdown (new pad; parse in the worker thread, commit), 3 runs: ${importTimes.map(ms).join(', ')}`,
    );

    // Recap of an event with 40 teams.
    const teams = Array.from({ length: TEAMS }, (_, i) => ({ slug: `team${i}`, name: `Team ${i}` }));
    const created = await fetch(`${base}/api/v1/events/benchrecap`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ name: 'Bench PTG', teams }),
    });
    if (!created.ok) throw new Error(`event: ${created.status} ${await created.text()}`);
    const notesRandom = prng(42);
    let totalChars = 0;
    for (const team of teams) {
      const notes = ptgNotes(notesRandom, PAD_CHARS, team.name);
      totalChars += notes.length;
      await put(`benchrecap-${team.slug}`, notes);
    }
    const warm = summarize(await timeRequests(`${base}/api/v1/events/benchrecap/recap.md`, 10));
    const summaryOnly = summarize(await timeRequests(`${base}/api/v1/events/benchrecap/recap.md?summary=only`, 10));
    const asText = summarize(await timeRequests(`${base}/api/v1/events/benchrecap/recap.txt`, 10));
    const json = summarize(await timeRequests(`${base}/api/v1/events/benchrecap/recap.json`, 10));
    const bySession = summarize(await timeRequests(`${base}/api/v1/events/benchrecap/recap.md?by=session`, 10));
    const recapBytes = (await (await fetch(`${base}/api/v1/events/benchrecap/recap.md`)).text()).length;
    await app.close();
    app = await createGatherpad(loadConfig([], env));
    base = await app.listen();
    const cold = (await timeRequests(`${base}/api/v1/events/benchrecap/recap.md`, 1))[0];
    lines.push(
      `- \`GET /api/v1/events/<event>/recap.md\`, ${TEAMS} teams with one pad of about ${PAD_CHARS} characters each (${totalChars} characters of markdown in all, ${recapBytes} characters of recap): pads loaded p50 ${ms(warm.p50)}, max ${ms(warm.max)} (10 requests); right after a restart (every pad loaded from SQLite) ${ms(cold)}; \`?summary=only\` p50 ${ms(summaryOnly.p50)}; \`recap.txt\` p50 ${ms(asText.p50)}; \`recap.json\` (markdown, text and HTML, whole and per team) p50 ${ms(json.p50)}; \`?by=session\` (every pad's log read) p50 ${ms(bySession.p50)} (target < 1 s)`,
    );
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  return [`Machine: ${machine()}`, ...lines].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await run()}\n`);
  process.exit(0);
}
