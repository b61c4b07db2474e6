/**
 * Moves pads from a running Etherpad into Gatherpad: lists the pads (`listAllPads`), gives each
 * name a pad id (pad-names.ts, over the whole list so ids are the same on every run), downloads
 * each export and imports it, at most `concurrency` at a time. Each finished pad is written to
 * the state file at once, so a run that is interrupted resumes where it stopped (pads done
 * before are skipped); failures are retried on the next run. The report lists imported,
 * skipped and failed pads with their reasons.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { padIdsForNames } from '../pad-names.js';
import type { EtherpadSource } from './etherpad-source.js';
import { TargetError, type GatherpadTarget, type ImportResult } from './gatherpad-target.js';

export type OutcomeStatus = 'imported' | 'skipped' | 'failed';

export interface PadOutcome {
  /** The name in Etherpad. */
  name: string;
  padId: string;
  status: OutcomeStatus;
  reason?: string;
  /** Set when the id differs from the name (the old name redirects). */
  renamedFrom?: string;
  summary?: ImportResult;
  /** With --event: the team the pad was attached to. */
  team?: string;
}

export interface MigrationReport {
  from: string;
  startedAt: string;
  finishedAt: string;
  imported: PadOutcome[];
  skipped: PadOutcome[];
  failed: PadOutcome[];
}

export interface Progress {
  start(total: number): void;
  padDone(outcome: PadOutcome, counts: Record<OutcomeStatus, number>): void;
  finish(report: MigrationReport): void;
}

export interface MigrationOptions {
  source: EtherpadSource;
  target: GatherpadTarget;
  /** The Etherpad URL, for the report and the state file. */
  from: string;
  /** Every pad, or these names. */
  pads: 'all' | readonly string[];
  event: string | null;
  concurrency: number;
  statePath: string;
  reportPath: string;
  progress: Progress;
}

interface State {
  from: string;
  done: Record<string, { padId: string; status: 'imported' | 'skipped' }>;
}

async function readState(path: string, from: string): Promise<State> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as State;
    if (state.from === from && typeof state.done === 'object' && state.done !== null) return state;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`The state file ${path} cannot be read: ${(err as Error).message}`);
  }
  return { from, done: {} };
}

/** Writes a JSON file whole or not at all (a crash leaves the previous version). */
async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

export async function migrate(options: MigrationOptions): Promise<MigrationReport> {
  const startedAt = new Date().toISOString();
  const all = await options.source.listAllPads();
  const wanted = options.pads === 'all' ? all : Array.from(new Set(options.pads));
  const known = new Set(all);
  const ids = padIdsForNames([...all, ...wanted]);
  const state = await readState(options.statePath, options.from);
  const teams = options.event ? await options.target.teamsOf(options.event) : [];
  const outcomes: PadOutcome[] = [];
  const counts: Record<OutcomeStatus, number> = { imported: 0, skipped: 0, failed: 0 };
  let stateWrite = Promise.resolve();
  const finished = (outcome: PadOutcome) => {
    outcomes.push(outcome);
    counts[outcome.status] += 1;
    if (outcome.status !== 'failed' && !state.done[outcome.name]) {
      state.done[outcome.name] = { padId: outcome.padId, status: outcome.status };
      // One write at a time, in order: the file always holds a whole, recent state.
      stateWrite = stateWrite.then(() => writeJson(options.statePath, state));
    }
    options.progress.padDone(outcome, counts);
  };

  const migrateOne = async (name: string): Promise<PadOutcome> => {
    const padId = ids.get(name) as string;
    const renamedFrom = padId === name ? undefined : name;
    const earlier = state.done[name];
    if (earlier) return { name, padId: earlier.padId, status: 'skipped', reason: 'done in an earlier run', renamedFrom };
    if (!known.has(name)) return { name, padId, status: 'failed', reason: 'Etherpad has no pad of that name (listAllPads)' };
    let summary: ImportResult;
    try {
      const file = await options.source.exportPad(name);
      summary = await options.target.importPad(padId, file, renamedFrom ?? null);
    } catch (err) {
      if (err instanceof TargetError && err.code === 'pad_not_empty')
        return { name, padId, status: 'skipped', reason: 'the pad already has content here', renamedFrom };
      return { name, padId, status: 'failed', reason: (err as Error).message, renamedFrom };
    }
    const outcome: PadOutcome = { name, padId, status: 'imported', renamedFrom, summary };
    if (options.event) {
      const team = teamOf(options.event, teams, padId);
      if (team) {
        await options.target.titlePad(options.event, team, padId, name);
        outcome.team = team;
      } else if (padId.startsWith(`${options.event}-`)) {
        outcome.reason = `no team of "${options.event}" matches this pad`;
      }
    }
    return outcome;
  };

  options.progress.start(wanted.length);
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const name = wanted[next++];
      finished(await migrateOne(name));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, wanted.length)) }, worker));
  await stateWrite;

  const byName = (a: PadOutcome, b: PadOutcome) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const report: MigrationReport = {
    from: options.from,
    startedAt,
    finishedAt: new Date().toISOString(),
    imported: outcomes.filter((o) => o.status === 'imported').sort(byName),
    skipped: outcomes.filter((o) => o.status === 'skipped').sort(byName),
    failed: outcomes.filter((o) => o.status === 'failed').sort(byName),
  };
  await writeJson(options.reportPath, report);
  options.progress.finish(report);
  return report;
}

/** The team a pad belongs to: the longest slug with `<event>-<team>` equal to or prefixing the id. */
function teamOf(event: string, teams: readonly string[], padId: string): string | null {
  let best: string | null = null;
  for (const team of teams) {
    const main = `${event}-${team}`;
    if ((padId === main || padId.startsWith(`${main}-`)) && (best === null || team.length > best.length)) best = team;
  }
  return best;
}
