/**
 * `GET /api/v1/search?q=<words>&event=<event>`: full-text search over pads, best first, with
 * plain-text snippets and the offsets of the matched words. `q` is only ever words: quotes,
 * `*`, parentheses and operators like AND are treated as text, never as query syntax.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { SearchResults, type SearchHitT } from '../../common/event-schemas.js';
import type { EventStore } from '../events/event-store.js';
import type { PadOutline } from '../events/pad-outlines.js';
import { slugParam, teamOfPad } from '../events/event-model.js';
import { searchTerms, type SearchIndex } from '../search/search-index.js';
import { ApiError } from '../errors.js';
import { errors } from './api-schemas.js';

export interface SearchApiOptions {
  index: SearchIndex;
  events: EventStore;
  /** A pad's first heading, shown when it has no title (pad-outlines.ts). */
  outline?: (padId: string, updatedAt: number | null) => PadOutline;
}

export async function searchApi(fastify: FastifyInstance, options: SearchApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: "Search pads (all, or one event's)",
        description: 'All words must occur; the last one also matches as a prefix. Ranked by bm25.',
        querystring: Type.Object({
          q: Type.String({ maxLength: 500, description: 'words to find' }),
          event: Type.Optional(Type.String({ maxLength: 100, description: "only this event's team pads" })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
        }),
        response: { 200: SearchResults, ...errors(400, 404) },
      },
    },
    async (req) => {
      const { q } = req.query;
      const limit = req.query.limit ?? 20;
      const terms = searchTerms(q);
      const event = req.query.event === undefined || req.query.event === '' ? null : slugParam(req.query.event, 'event');
      let teams: string[] = [];
      if (event !== null) {
        const found = await options.events.getEvent(event);
        if (!found) throw new ApiError('notFound', `No event named "${event}".`);
        teams = (await options.events.getTeams(event)).map((t) => t.slug);
      }
      if (terms.length === 0 || (event !== null && teams.length === 0)) return { query: q, results: [] };

      // An event's pads share the prefix `<event>-`; pads of another event with a longer slug
      // can share it too, so ask for more and keep the ones that belong to a team.
      const hits = await options.index.search({
        terms,
        prefixLast: !/\s$/.test(q),
        padIdPrefix: event === null ? null : `${event}-`,
        limit: event === null ? limit : limit * 4,
      });
      const results: SearchHitT[] = [];
      for (const hit of hits) {
        const team = event === null ? null : teamOfPad(event, teams, hit.padId);
        if (event !== null && team === null) continue;
        const pad = (await options.events.listPads(hit.padId)).find((p) => p.id === hit.padId);
        const heading = pad && options.outline ? options.outline(pad.id, pad.updatedAt).heading : null;
        results.push({
          padId: hit.padId,
          url: `/p/${hit.padId}`,
          snippet: hit.snippet,
          highlights: hit.highlights,
          event,
          team,
          title: pad?.title ?? null,
          heading,
          updatedAt: pad?.updatedAt ? new Date(pad.updatedAt).toISOString() : null,
        });
        if (results.length >= limit) break;
      }
      return { query: q, results };
    },
  );
}
