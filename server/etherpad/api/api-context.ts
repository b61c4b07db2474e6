/**
 * What the Etherpad API's functions work with, and the argument checks they share (in
 * Etherpad's words where a client may match on them: "padID does not exist", ...).
 */
import type { Schema } from '@tiptap/pm/model';
import { normalizePadId } from '../../../common/pad-id.js';
import type { EventStore } from '../../events/event-store.js';
import type { PadHistory } from '../../history/pad-history.js';
import type { HistoryStore } from '../../history/types.js';
import type { PadStore } from '../../store/pad-store.js';
import type { Rooms } from '../../sync/rooms.js';
import { SYSTEM_AUTHOR, storedIdForEtherpadId } from '../authors.js';
import type { EtherpadStore } from '../etherpad-store.js';
import { badInput } from './api-error.js';

export interface ApiContext {
  rooms: Rooms;
  pads: PadStore;
  events: Pick<EventStore, 'listPads' | 'deletePad'>;
  history: PadHistory;
  historyStore: HistoryStore;
  etherpad: EtherpadStore;
  /** Keeps search in step with pads the API changes. */
  search: { changed(padId: string): void; removed(padId: string): Promise<void> };
  schema: Schema;
}

/** Arguments as Etherpad receives them: strings from the query or the form body. */
export type Args = Readonly<Record<string, string | undefined>>;

export type ApiFunction = (args: Args, ctx: ApiContext) => Promise<unknown>;

/** The pad id for an Etherpad pad name: a stored alias (an old name), else the name itself. */
export async function padIdOf(args: Args, ctx: ApiContext, field = 'padID'): Promise<string> {
  const raw = args[field];
  if (raw === undefined) throw badInput(`${field} is not a string`);
  if (raw.includes('$')) throw badInput(`${field} names a group pad; groups do not exist here (see docs/api.md)`);
  const alias = await ctx.etherpad.aliasTarget(raw);
  const padId = alias ?? normalizePadId(raw);
  if (!padId) throw badInput(`${field} did not match requirements: lowercase letters, digits, ".", "-" and "_", up to 100 characters`);
  return padId;
}

/** The pad id of a pad that must exist ("padID does not exist" otherwise). */
export async function existingPadOf(args: Args, ctx: ApiContext, field = 'padID'): Promise<string> {
  const padId = await padIdOf(args, ctx, field);
  if (!(await ctx.pads.getPad(padId))) throw badInput('padID does not exist');
  return padId;
}

/** Etherpad's `rev` check: an integer >= 0, or undefined when absent. */
export function revOf(args: Args, field = 'rev'): number | undefined {
  const raw = args[field];
  if (raw === undefined || raw === '') return undefined;
  const rev = Number(raw);
  if (Number.isNaN(rev)) throw badInput(`${field} is not a number`);
  if (rev < 0) throw badInput(`${field} is a negative number`);
  if (!Number.isInteger(rev)) throw badInput(`${field} is a float value`);
  return rev;
}

/**
 * Etherpad counts the pad's creation as revision 0; here revision 1 is the first write. Etherpad
 * revision n is ours n + 1 (imported pads keep their numbers this way); a pad with no revision
 * has Etherpad's head 0 too.
 */
export const ourRev = (etherpadRev: number) => etherpadRev + 1;
export const etherpadRev = (ours: number) => Math.max(ours - 1, 0);

/** The pad's head revision as Etherpad counts it. */
export async function headOf(padId: string, ctx: ApiContext): Promise<{ head: number; lastRev: number }> {
  const { lastRev } = await ctx.history.range(padId);
  return { head: etherpadRev(lastRev), lastRev };
}

/** The stored author an API write is made as: the `authorId` given (if this server knows it), else the API. */
export async function writerOf(args: Args, ctx: ApiContext): Promise<string> {
  const id = args.authorId ?? args.authorID;
  if (!id) return SYSTEM_AUTHOR;
  const shown = await ctx.etherpad.authorForEtherpadId(id);
  if (shown) return shown;
  // An imported author this server knows (it has a profile); anyone else writes as the API.
  const imported = storedIdForEtherpadId(id);
  return imported && (await ctx.pads.getAuthors([imported])).has(imported) ? imported : SYSTEM_AUTHOR;
}

/** Parses Etherpad's booleans ("true"/"false"). */
export const flag = (value: string | undefined) => value === 'true' || value === '1';
