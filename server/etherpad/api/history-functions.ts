/**
 * The Etherpad API's history functions: revision counts, saved revisions, restore and HTML
 * diffs, on our revisions (Etherpad revision n is ours n + 1, see api-context.ts).
 */
import { escapeHtml } from '../../../common/markdown/pad-html.js';
import type { RevisionDiffT } from '../../../common/history-schemas.js';
import { etherpadAuthorId } from '../authors.js';
import { badInput } from './api-error.js';
import { etherpadRev, existingPadOf, headOf, ourRev, revOf, writerOf, type ApiFunction } from './api-context.js';

export const historyFunctions: Record<string, ApiFunction> = {
  async getRevisionsCount(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    return { revisions: (await headOf(padId, ctx)).head };
  },

  async getSavedRevisionsCount(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    return { savedRevisions: (await ctx.history.savedRevisions(padId)).length };
  },

  async listSavedRevisions(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    const revs = new Set((await ctx.history.savedRevisions(padId)).map((s) => etherpadRev(s.rev)));
    return { savedRevisions: Array.from(revs).sort((a, b) => a - b) };
  },

  async saveRevision(args, ctx) {
    const rev = revOf(args);
    const padId = await existingPadOf(args, ctx);
    const { head, lastRev } = await headOf(padId, ctx);
    if (rev !== undefined && rev > head) throw badInput('rev is higher than the head revision of the pad');
    if (lastRev === 0) throw badInput('the pad has no revisions to save yet');
    const target = rev === undefined ? lastRev : ourRev(rev);
    // Etherpad saves a revision once.
    if ((await ctx.history.savedRevisions(padId)).some((s) => s.rev === target)) return null;
    await ctx.history.saveRevision(padId, target, 'Saved through API call', await writerOf(args, ctx));
    return null;
  },

  async restoreRevision(args, ctx) {
    const rev = revOf(args);
    if (rev === undefined) throw badInput('rev is not defined');
    const padId = await existingPadOf(args, ctx);
    const { head, lastRev } = await headOf(padId, ctx);
    if (rev > head || lastRev === 0) throw badInput('rev is higher than the head revision of the pad');
    await ctx.history.restore(padId, ourRev(rev), await writerOf(args, ctx));
    ctx.search.changed(padId);
    return null;
  },

  async createDiffHTML(args, ctx) {
    let startRev = revOf(args, 'startRev');
    let endRev = revOf(args, 'endRev');
    const padId = await existingPadOf(args, ctx);
    const { head, lastRev } = await headOf(padId, ctx);
    if (lastRev === 0) return { html: '', authors: [] };
    startRev = Math.min(startRev ?? 0, head);
    endRev = Math.min(endRev ?? head, head);
    if (startRev > endRev) throw badInput('startRev is higher than endRev');
    // Diffed in the history worker, off the loop; its answer is the JSON body of our own diff route.
    const body = await ctx.history.diff(padId, ourRev(startRev), ourRev(endRev));
    const { changes } = JSON.parse(new TextDecoder().decode(body)) as RevisionDiffT;
    const html = changes
      .map((part) => {
        const text = escapeHtml(part.text).replace(/\n/g, '<br>');
        return part.op === 'insert'
          ? `<span class="added">${text}</span>`
          : part.op === 'delete'
            ? `<span class="removed" style="text-decoration:line-through">${text}</span>`
            : text;
      })
      .join('');
    const authors = new Set<string>();
    const revisions = await ctx.historyStore.listRevisions(padId, ourRev(startRev), endRev - startRev);
    for (const revision of revisions) for (const author of revision.authors) authors.add(etherpadAuthorId(author));
    return { html: `<style>.removed{text-decoration:line-through}</style>${html}`, authors: Array.from(authors) };
  },
};
