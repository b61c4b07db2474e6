/**
 * The Etherpad API's pad functions: create, read and write text and HTML, delete, copy and move
 * pads, ids, last edit, the pad list and stats. Writes go through the pad's room
 * (`applyApiUpdate`): committed before anyone sees them, shown to live clients at once, one
 * ordinary revision each.
 */
import type { Node as PmNode } from '@tiptap/pm/model';
import { CloseCode, CloseReason } from '../../../common/protocol.js';
import { readPadDoc, replacementUpdate } from '../../../common/markdown/pad-content.js';
import { padToHtmlFragment } from '../../../common/markdown/pad-html.js';
import { normalizeReadOnlyId } from '../../access/read-only-id.js';
import { PadNotEmpty } from '../etherpad-store.js';
import { badInput } from './api-error.js';
import {
  existingPadOf,
  flag,
  headOf,
  ourRev,
  padIdOf,
  revOf,
  writerOf,
  type ApiContext,
  type ApiFunction,
  type Args,
} from './api-context.js';
import { appendedDocument, etherpadText, textDocument } from './etherpad-text.js';
import { htmlDocument } from './html-import.js';

/** The pad's content now, or as of Etherpad revision `rev`. */
export async function contentOf(padId: string, rev: number | undefined, ctx: ApiContext): Promise<PmNode> {
  if (rev === undefined) return ctx.rooms.use(padId, (room) => readPadDoc(room.currentDoc(), ctx.schema));
  const { head, lastRev } = await headOf(padId, ctx);
  if (rev > head) throw badInput('rev is higher than the head revision of the pad');
  if (lastRev === 0) return ctx.schema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph' }] });
  return (await ctx.history.content(padId, ourRev(rev))).node;
}

/** Replaces the pad's content with `next` as one write by `author` (nothing if equal). */
export async function writeContent(padId: string, next: PmNode, author: string, ctx: ApiContext): Promise<void> {
  await ctx.rooms.use(padId, async (room) => {
    const update = replacementUpdate(room.currentDoc(), next);
    if (update) await room.applyApiUpdate(update, author);
  });
  ctx.search.changed(padId);
}

const textArg = (args: Args, field: string): string => {
  const value = args[field];
  if (typeof value !== 'string') throw badInput(`${field} is not a string`);
  return value;
};

/** Deletes everything stored for a pad, closing it for anyone who has it open. */
async function removePad(padId: string, ctx: ApiContext): Promise<void> {
  await ctx.rooms.evict(padId, CloseCode.normal, CloseReason.padDeleted);
  await ctx.events.deletePad(padId);
  await ctx.search.removed(padId);
}

/** Clears the way for a copy to `destination`: refused if it has content, unless `force`. */
async function prepareDestination(destination: string, force: boolean, ctx: ApiContext): Promise<void> {
  const existing = await ctx.pads.getPad(destination);
  if (!existing) return;
  if (!force) throw badInput('destinationID already exists');
  await removePad(destination, ctx);
}

export const padFunctions: Record<string, ApiFunction> = {
  async createPad(args, ctx) {
    const padId = await padIdOf(args, ctx);
    if (/[/?&#]/.test(args.padID ?? '')) throw badInput('malformed padID: Remove special characters');
    if (await ctx.pads.getPad(padId)) throw badInput('padID does already exist');
    const text = args.text ?? '';
    // Created on purpose, empty or not (pads are otherwise created by their first write).
    await ctx.pads.createPad(padId);
    if (text !== '') await writeContent(padId, textDocument(text, ctx.schema), await writerOf(args, ctx), ctx);
    return null;
  },

  async getText(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    return { text: etherpadText(await contentOf(padId, revOf(args), ctx)) };
  },

  async setText(args, ctx) {
    const text = textArg(args, 'text');
    const padId = await existingPadOf(args, ctx);
    await writeContent(padId, textDocument(text, ctx.schema), await writerOf(args, ctx), ctx);
    return null;
  },

  async appendText(args, ctx) {
    const text = textArg(args, 'text');
    const padId = await existingPadOf(args, ctx);
    const current = await contentOf(padId, undefined, ctx);
    await writeContent(padId, appendedDocument(current, text, ctx.schema), await writerOf(args, ctx), ctx);
    return null;
  },

  async getHTML(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    const doc = await contentOf(padId, revOf(args), ctx);
    return { html: `<!DOCTYPE HTML><html><body>${padToHtmlFragment(doc.toJSON())}</body></html>` };
  },

  async setHTML(args, ctx) {
    const html = textArg(args, 'html');
    const padId = await existingPadOf(args, ctx);
    const doc = await htmlDocument(html, ctx.schema).catch((err: unknown) => {
      // A missing module is the server's fault (code 2); anything else is the input's.
      if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') throw err;
      throw badInput('HTML is malformed');
    });
    await writeContent(padId, doc, await writerOf(args, ctx), ctx);
    return null;
  },

  async getLastEdited(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    await ctx.rooms.commits.drain();
    return { lastEdited: (await ctx.pads.getPad(padId))?.updatedAt ?? 0 };
  },

  async deletePad(args, ctx) {
    await removePad(await existingPadOf(args, ctx), ctx);
    return null;
  },

  async copyPad(args, ctx) {
    const source = await existingPadOf(args, ctx, 'sourceID');
    const destination = await padIdOf(args, ctx, 'destinationID');
    if (source === destination) throw badInput('sourceID and destinationID are the same pad');
    await prepareDestination(destination, flag(args.force), ctx);
    await ctx.rooms.commits.drain();
    try {
      await ctx.etherpad.copyPad(source, destination);
    } catch (err) {
      if (err instanceof PadNotEmpty) throw badInput('destinationID already exists');
      throw err;
    }
    ctx.search.changed(destination);
    return { padID: destination };
  },

  async copyPadWithoutHistory(args, ctx) {
    const source = await existingPadOf(args, ctx, 'sourceID');
    const destination = await padIdOf(args, ctx, 'destinationID');
    if (source === destination) throw badInput('sourceID and destinationID are the same pad');
    await prepareDestination(destination, flag(args.force), ctx);
    const current = await contentOf(source, undefined, ctx);
    await ctx.pads.createPad(destination);
    await writeContent(destination, current, await writerOf(args, ctx), ctx);
    return { padID: destination };
  },

  async movePad(args, ctx) {
    const source = await existingPadOf(args, ctx, 'sourceID');
    const result = await padFunctions.copyPad(args, ctx);
    await removePad(source, ctx);
    return result;
  },

  async getReadOnlyID(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    return { readOnlyID: await ctx.pads.readOnlyIdOf(padId) };
  },

  async getPadID(args, ctx) {
    const readOnlyId = normalizeReadOnlyId(args.roID ?? '');
    const padId = readOnlyId ? await ctx.pads.padIdForReadOnlyId(readOnlyId) : null;
    if (!padId) throw badInput('padID does not exist');
    return { padID: padId };
  },

  async listAllPads(_args, ctx) {
    const pads = await ctx.events.listPads('');
    return { padIDs: pads.filter((p) => p.updatedAt !== null).map((p) => p.id) };
  },

  async getStats(_args, ctx) {
    const pads = await ctx.events.listPads('');
    const counts = ctx.rooms.peerCounts();
    return {
      totalPads: pads.filter((p) => p.updatedAt !== null).length,
      totalSessions: Array.from(counts.values()).reduce((a, b) => a + b, 0),
      totalActivePads: counts.size,
    };
  },
};
