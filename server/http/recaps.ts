/**
 * `/api/v1` recap routes: a pad's recap and an event's (markdown made for pasting, plain text
 * wrapped at 72 columns, or JSON with both, whole and per team, for the recap page), optionally
 * grouped by the sessions each team held; and the open action items a team carries forward from
 * earlier events. Text answers go out like exports (export-reply.ts).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { EventRecap, OpenItems, type EventRecapT } from '../../common/event-schemas.js';
import { recapMarkdown, recapText, writeRecap, type Recap, type RecapOptions } from '../../common/markdown/recap.js';
import { ApiError } from '../errors.js';
import { slugParam } from '../events/event-model.js';
import type { RecapService } from '../events/recap-service.js';
import { errors } from './api-schemas.js';
import { baseUrl } from './ical.js';
import { sendExport } from './export-reply.js';
import { padIdParam } from './pads.js';

export interface RecapsApiOptions {
  recaps: RecapService;
  /** Base for links in recaps; the request's own host when null. */
  publicUrl: string | null;
}

const tags = ['recaps'];
const TEXT_FORMATS = { md: 'markdown made for pasting', txt: 'plain text wrapped at 72 columns' } as const;

const PadRecapQuery = Type.Object({
  download: Type.Optional(Type.String({ description: '1 to download as a file' })),
  summary: Type.Optional(Type.Union([Type.Literal('only'), Type.Literal('')], { description: '`only` for just the summary' })),
});
const EventRecapQuery = Type.Object({
  ...PadRecapQuery.properties,
  by: Type.Optional(
    Type.Union([Type.Literal('pad'), Type.Literal('session')], {
      description: "`session`: each team's notes grouped by its booked sessions, from when each line was written",
    }),
  ),
  team: Type.Optional(Type.String({ maxLength: 100, description: "only this team's part" })),
});

export async function recapsApi(fastify: FastifyInstance, options: RecapsApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { recaps } = options;
  const base = (req: FastifyRequest) => baseUrl(req, options.publicUrl);

  for (const format of Object.keys(TEXT_FORMATS) as (keyof typeof TEXT_FORMATS)[]) {
    app.get(
      `/pads/:padId/recap.${format}`,
      {
        schema: {
          tags,
          summary: `A recap of the pad as ${TEXT_FORMATS[format]}: action items, decisions, open questions, #info and #link, then its notes`,
          params: Type.Object({ padId: Type.String({ maxLength: 300 }) }),
          querystring: PadRecapQuery,
          response: { 200: Type.String(), ...errors(400, 404) },
        },
      },
      async (req, reply) => {
        const padId = padIdParam(req.params.padId);
        const recap = await recaps.forPad(padId, base(req), { summaryOnly: req.query.summary === 'only' });
        const body = format === 'md' ? recapMarkdown(recap) : recapText(recap);
        return sendExport(reply, format, body, req.query.download === '1' ? `${padId}-recap.${format}` : null);
      },
    );

    app.get(
      `/events/:event/recap.${format}`,
      {
        schema: {
          tags,
          summary: `A recap of an event as ${TEXT_FORMATS[format]}: per team, its summary items and notes (forks left out)`,
          params: Type.Object({ event: Type.String({ maxLength: 300 }) }),
          querystring: EventRecapQuery,
          response: { 200: Type.String(), ...errors(400, 404) },
        },
      },
      async (req, reply) => {
        const slug = slugParam(req.params.event, 'event');
        const recap = await recaps.forEvent(slug, base(req), recapOptions(req.query));
        const team = teamOf(recap, req.query.team);
        const body = format === 'md' ? recapMarkdown(recap, team) : recapText(recap, team);
        const name = `${slug}${team ? `-${team}` : ''}-recap${req.query.by === 'session' ? '-by-session' : ''}.${format}`;
        return sendExport(reply, format, body, req.query.download === '1' ? name : null);
      },
    );
  }

  app.get(
    '/events/:event/recap.json',
    {
      schema: {
        tags,
        summary: 'A recap of an event as markdown and plain text, whole and per team (what the recap page shows)',
        params: Type.Object({ event: Type.String({ maxLength: 300 }) }),
        querystring: Type.Omit(EventRecapQuery, ['download', 'team']),
        response: { 200: EventRecap, ...errors(400, 404) },
      },
    },
    async (req, reply): Promise<EventRecapT> => {
      const slug = slugParam(req.params.event, 'event');
      const options = recapOptions(req.query);
      const recap = await recaps.forEvent(slug, base(req), options);
      reply.header('cache-control', 'no-store');
      const written = writeRecap(recap);
      return {
        event: { slug, name: recap.name, url: `/e/${slug}` },
        by: options.bySession ? 'session' : 'pad',
        summaryOnly: options.summaryOnly === true,
        markdown: written.markdown,
        text: written.text,
        teams: recap.teams.map((t, i) => ({ slug: t.slug, name: t.name, ...written.teams[i], counts: t.counts })),
      };
    },
  );

  app.get(
    '/teams/:team/open-items',
    {
      schema: {
        tags,
        summary: 'Open action items of a team (by slug) in its pads at earlier events, to carry forward',
        description:
          'Every event with a team of this slug that started before `before` (all such events when left out), latest first, at most 5; forks left out.',
        params: Type.Object({ team: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object({ before: Type.Optional(Type.String({ maxLength: 100, description: 'an event slug' })) }),
        response: { 200: OpenItems, ...errors(400, 404) },
      },
    },
    async (req) => {
      const team = slugParam(req.params.team, 'team');
      const before = req.query.before ? slugParam(req.query.before, 'event') : null;
      return recaps.openItems(team, before);
    },
  );
}

function recapOptions(query: { summary?: string; by?: string }): RecapOptions {
  return { summaryOnly: query.summary === 'only', bySession: query.by === 'session' };
}

/** The `team` query, checked against the recap's teams (404 for one it does not have). */
function teamOf(recap: Recap, team: string | undefined): string | undefined {
  if (team === undefined || team === '') return undefined;
  const slug = slugParam(team, 'team');
  if (!recap.teams.some((t) => t.slug === slug)) throw new ApiError('notFound', `This event has no team named "${slug}".`);
  return slug;
}
