/**
 * The performance harness: the same scenarios, in one run, against Gatherpad, the
 * y-websocket reference server and Hocuspocus 4. Servers run pinned to CPU 0, the generator
 * to CPU 1 (`npm run bench` does the pinning).
 *
 *   npm run bench -- one-pad      ramp authors (+3 lurkers each) on one pad until p95 >= 100 ms
 *   npm run bench -- many-pads    ramp pads with 3 authors each
 *   npm run bench -- memory       RSS per idle connection; unloading of idle pads
 *   npm run bench -- cold-open    a new client opening the automerge-paper pad
 *   npm run bench -- durability   saved-ack latency with 200 writers; commits (fsyncs) per second
 *   npm run bench -- client       pad page JS size; time until the editor takes input
 */
import { notesSeed } from '../tests/helpers/notes-text.js';
import { LoadClient, SentLog, newStats } from './load/load-clients.js';
import { ramp, sustained, type LevelResult } from './load/ramp.js';
import { numbersFromEnv } from './lib/stats.js';
import { startBenchServer } from './load/servers.js';
import { WIRES, type ServerKind } from './load/wire.js';

export const SERVERS: ServerKind[] = ['gatherpad', 'y-websocket', 'hocuspocus'];

/** The servers of the load scenarios; Gatherpad also with fsync off, as the peers run. */
interface Variant {
  label: string;
  kind: ServerKind;
  env?: Record<string, string>;
}
const VARIANTS: Variant[] = [
  { label: 'gatherpad', kind: 'gatherpad' },
  { label: 'gatherpad, synchronous=NORMAL', kind: 'gatherpad', env: { SQLITE_SYNCHRONOUS: 'NORMAL' } },
  { label: 'y-websocket', kind: 'y-websocket' },
  { label: 'hocuspocus', kind: 'hocuspocus' },
];

/** `BENCH_SERVERS=gatherpad,hocuspocus npm run bench -- one-pad` runs only those (labels). */
/** `BENCH_LEVELS=600,800 npm run bench -- one-pad` tries only those levels (quick iterations). */
const levelsOr = (fallback: number[]) => numbersFromEnv('BENCH_LEVELS', fallback);

const chosen = () => {
  const only = process.env.BENCH_SERVERS?.split(',').map((label) => label.trim());
  return only ? VARIANTS.filter((v) => only.includes(v.label)) : VARIANTS;
};

function table(title: string, rows: { server: string; results: LevelResult[] }[], unit: string): string {
  const lines = [
    `### ${title}`,
    '',
    `| server | most ${unit} at p95 < 100 ms | p95 there | server CPU there | RSS there | generator CPU there | levels tried (p95 ms) |`,
    '|---|---|---|---|---|---|---|',
  ];
  for (const { server, results } of rows) {
    const best = results.filter((r) => r.ok).at(-1);
    const tried = results
      .map((r) => `${r.level}: ${Number.isFinite(r.p95) ? r.p95.toFixed(0) : 'n/a'}${r.errors ? ` (${r.errors} errors)` : ''}`)
      .join(', ');
    lines.push(
      `| ${server} | ${sustained(results)} | ${best ? `${best.p95.toFixed(1)} ms` : '-'} | ${best ? `${(best.serverCpu * 100).toFixed(0)}%` : '-'} | ${best ? `${best.serverRssMb.toFixed(0)} MB` : '-'} | ${best ? `${(best.generatorCpu * 100).toFixed(0)}%` : '-'} | ${tried} |`,
    );
  }
  const ours = sustained(rows.find((r) => r.server === 'gatherpad')?.results ?? []);
  const bestPeer = Math.max(...rows.filter((r) => !r.server.startsWith('gatherpad')).map((r) => sustained(r.results)));
  const relaxed = sustained(rows.find((r) => r.server.startsWith('gatherpad,'))?.results ?? []);
  lines.push(
    '',
    `Gatherpad / best peer: ${bestPeer > 0 ? (ours / bestPeer).toFixed(2) : 'n/a'}x (with synchronous=NORMAL: ${bestPeer > 0 ? (relaxed / bestPeer).toFixed(2) : 'n/a'}x)`,
  );
  return lines.join('\n');
}

/** The pad's starting text: 40 paragraphs' worth of notes in the notes' shared paragraph, as one update. */
function seedUpdate(): Uint8Array {
  return notesSeed('Agenda, attendees, topics, decisions and action items for the session. '.repeat(40));
}

export async function onePad(levels = levelsOr([25, 50, 100, 150, 200, 300, 400, 600, 800, 1000, 1200])): Promise<string> {
  const rows: { server: string; results: LevelResult[] }[] = [];
  const seed = seedUpdate();
  for (const { label, kind, env } of chosen()) {
    const server = await startBenchServer(kind, env);
    let authors = 0;
    const seeder = new LoadClient('author', WIRES[kind], server.port, 'bench-one-pad', newStats(), new SentLog());
    await seeder.connect();
    seeder.publish(seed);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    seeder.close();
    try {
      const results = await ramp(server, {
        levels,
        holdMs: 8000,
        p95TargetMs: 100,
        budgetMs: 150_000,
        describe: (level) => ({ authors: level, lurkers: level * 3 }),
        seed,
        async grow(level, open) {
          if (authors === 0) for (let i = 0; i < 3; i += 1) open('observer', 'bench-one-pad');
          for (; authors < level; authors += 1) {
            open('author', 'bench-one-pad');
            for (let l = 0; l < 3; l += 1) open('lurker', 'bench-one-pad');
            if (authors % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
          }
          open('late-observer', 'bench-one-pad');
        },
      });
      rows.push({ server: label, results });
    } finally {
      await server.stop();
    }
  }
  return table(
    'Scenario 1: one pad, ramping authors (Etherpad load model: 4 characters every 400 ms; 3 lurkers per author; observers: 3 that joined first, 1 that joined last)',
    rows,
    'authors',
  );
}

export async function manyPads(levels = levelsOr([100, 250, 500, 1000, 1500, 1750, 2000, 2500])): Promise<string> {
  const rows: { server: string; results: LevelResult[] }[] = [];
  for (const { label, kind, env } of chosen()) {
    const server = await startBenchServer(kind, env);
    let pads = 0;
    try {
      const results = await ramp(server, {
        levels,
        holdMs: 8000,
        p95TargetMs: 100,
        budgetMs: 150_000,
        describe: (level) => ({ authors: level * 3, lurkers: 0 }),
        async grow(level, open) {
          for (; pads < level; pads += 1) {
            const pad = `bench-pad-${pads}`;
            for (let a = 0; a < 3; a += 1) open('author', pad);
            if (pads % 25 === 0) open('observer', pad);
            if (pads % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
          }
        },
      });
      rows.push({ server: label, results });
    } finally {
      await server.stop();
    }
  }
  return table('Scenario 2: many pads, 3 authors each (an observer on every 25th pad)', rows, 'pads');
}
