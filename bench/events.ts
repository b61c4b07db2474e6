/**
 * Events and search benchmark (`npm run bench -- events`): an in-process server on loopback
 * with SQLite in a temp folder.
 * - Event API: an event with 50 teams x 5 pads (each pad written once through the room API),
 *   `GET /api/v1/events/<event>` timed over 200 sequential requests.
 * - Search: 1,000 pads of 5,000 characters of seeded pseudo-text in the FTS5 index,
 *   `GET /api/v1/search` timed over 300 sequential queries (single common words, two words,
 *   rare words, prefixes, and with the event filter).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createGatherpad } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { SqliteSearchIndex } from '../server/store/sqlite-search.js';
import { machine, ms, summarize } from './lib/stats.js';
import { prng } from './lib/stats.js';

const ADMIN = 'bench-admin-token';
const TEAMS = 50;
const PADS_PER_TEAM = 5;
const SEARCH_PADS = 1000;
const PAD_CHARS = 5000;

/** Mulberry32: a small seeded PRNG so every run indexes the same text. */
const COMMON = [
  'the',
  'and',
  'placement',
  'quota',
  'upgrade',
  'driver',
  'release',
  'review',
  'api',
  'volume',
  'network',
  'testing',
  'gate',
  'policy',
  'cells',
  'scheduler',
  'image',
  'backup',
];

function vocabulary(random: () => number, size: number): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'qu', 'br', 'st', 'an', 'or', 'el'];
  const words = new Set<string>();
  while (words.size < size) {
    let w = '';
    const n = 2 + Math.floor(random() * 3);
    for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)];
    words.add(w);
  }
  return [...words];
}

function text(random: () => number, words: string[], chars: number): string {
  let out = '';
  while (out.length < chars) {
    const r = random();
    // Zipf-ish: common words often, the long tail rarely.
    const word = r < 0.3 ? COMMON[Math.floor(random() * COMMON.length)] : words[Math.floor(random() ** 2 * words.length)];
    out += word + (random() < 0.08 ? '.\n' : ' ');
  }
  return out.slice(0, chars);
}

async function timed(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return times;
}

export async function run(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatherpad-bench-events-'));
  const config = loadConfig([], {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: ADMIN,
    SQLITE_SYNCHRONOUS: 'NORMAL',
  });
  const app = await createGatherpad(config);
  const base = await app.listen();
  const lines: string[] = [];
  try {
    // Event API: 50 teams x 5 pads.
    const teams = Array.from({ length: TEAMS }, (_, i) => ({
      slug: `team${i}`,
      name: `Team ${i}`,
      now: `Topic ${i}`,
      next: ['later', 'after lunch'],
    }));
    const put = await fetch(`${base}/api/v1/events/bench`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({
        name: 'Bench PTG',
        rooms: ['A', 'B', 'C', 'D'],
        slots: [
          { name: 'am', start: '09:00', end: '12:00' },
          { name: 'pm', start: '13:00', end: '17:00' },
        ],
        teams,
      }),
    });
    if (put.status !== 201) throw new Error(`PUT event answered ${put.status}`);
    for (const team of teams) {
      for (let p = 0; p < PADS_PER_TEAM; p++) {
        const padId = p === 0 ? `bench-${team.slug}` : `bench-${team.slug}-topic${p}`;
        const doc = new Y.Doc();
        const para = new Y.XmlElement('paragraph');
        para.insert(0, [new Y.XmlText(`Notes of ${padId}`)]);
        doc.getXmlFragment('default').insert(0, [para]);
        await app.rooms.use(padId, (room) => room.applyApiUpdate(Y.encodeStateAsUpdate(doc), 'bench'));
      }
    }
    let padsSeen = 0;
    const eventTimes = await timed(200, async () => {
      const res = await fetch(`${base}/api/v1/events/bench`);
      const body = (await res.json()) as { teams: { pads: unknown[] }[] };
      padsSeen = body.teams.reduce((n, t) => n + t.pads.length, 0);
    });
    const e = summarize(eventTimes);
    lines.push(
      `- \`GET /api/v1/events/<event>\`, ${TEAMS} teams x ${PADS_PER_TEAM} pads (${padsSeen} pads in the answer, with live counts and last edit), ${e.n} sequential requests: p50 ${ms(e.p50)}, p95 ${ms(e.p95)}, max ${ms(e.max)} (target < 50 ms)`,
    );

    // Search: 1,000 pads x 5,000 characters.
    const random = prng(42);
    const words = vocabulary(random, 3000);
    const index = new SqliteSearchIndex(app.db!);
    const indexStart = performance.now();
    for (let i = 0; i < SEARCH_PADS; i++) {
      const padId = i < 250 ? `bench-team${i % TEAMS}-doc${i}` : `other-pad-${i}`;
      await index.index(padId, text(random, words, PAD_CHARS));
    }
    const indexMs = performance.now() - indexStart;
    const queries = [
      () => `q=${COMMON[Math.floor(random() * COMMON.length)]}`,
      () => `q=${COMMON[Math.floor(random() * COMMON.length)]}%20${words[Math.floor(random() * 200)]}`,
      () => `q=${words[Math.floor(random() * words.length)]}`,
      () => `q=${words[Math.floor(random() * 500)].slice(0, 3)}`,
      () => `q=${COMMON[Math.floor(random() * COMMON.length)]}&event=bench`,
      () => `q=${encodeURIComponent('"placement" AND (quota*')}`,
    ];
    let hits = 0;
    const searchTimes = await timed(300, async (i) => {
      const res = await fetch(`${base}/api/v1/search?${queries[i % queries.length]()}`);
      if (res.status !== 200) throw new Error(`search answered ${res.status}`);
      hits += ((await res.json()) as { results: unknown[] }).results.length;
    });
    const s = summarize(searchTimes);
    lines.push(
      `- \`GET /api/v1/search\` over ${SEARCH_PADS} pads of ${PAD_CHARS} characters (FTS5, bm25, snippets; ${(indexMs / SEARCH_PADS).toFixed(2)} ms to index one pad), ${s.n} sequential queries (common, two-word, rare, prefix, event-filtered, query-syntax; ${(hits / s.n).toFixed(1)} results on average, limit 20): p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)} (target p95 < 50 ms)`,
    );
    lines.push(`- Machine: ${machine()}`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return lines.join('\n');
}
