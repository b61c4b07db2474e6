/**
 * `/api/v1/events/<event>/teams`: teams (admin writes), each team's now/next board, and its
 * pads. Anyone may add a topic pad or set a pad title (like opening a new Etherpad); deleting a
 * pad is admin-only. The board needs the admin token when the server has one; a server without
 * ADMIN_TOKEN leaves it open to everyone (ptgbot's unmoderated mode).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { BoardInput, PadCreateInput, PadPlace, PadTitleInput, Team, TeamInput, TeamPad, TeamPatch } from '../../common/event-schemas.js';
import { slugParam } from '../events/event-model.js';
import type { EventService } from '../events/event-service.js';
import { adminOnly, assertAdmin } from './admin-auth.js';
import { adminSecurity, errors, EventParams, PadIdParams, PadParams, TeamParams } from './api-schemas.js';
import { padIdParam } from './pads.js';

export interface TeamsApiOptions {
  service: EventService;
  adminToken: string | null;
}

const SMALL_BODY = 64 * 1024;

export async function teamsApi(fastify: FastifyInstance, options: TeamsApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { service } = options;
  const admin = adminOnly(options.adminToken);
  const tags = ['teams'];
  const ids = (p: { event: string; team: string }) => [slugParam(p.event, 'event'), slugParam(p.team, 'team')] as const;

  // The pad page links to its event and team with this (read-only pages do not ask: the main
  // pad's id is `<event>-<team>`, which they must never learn).
  // A pad of no team answers null, not 404: most pads are not a team's, and each would log a
  // failed request in the browser's console.
  app.get(
    '/pads/:padId/event',
    {
      schema: {
        tags,
        summary: 'The event and team a pad belongs to (`<event>-<team>` or `<event>-<team>-<topic>`), or null',
        params: PadIdParams,
        response: { 200: Type.Union([PadPlace, Type.Null()]), ...errors(400) },
      },
    },
    async (req) => service.placeOfPad(padIdParam(req.params.padId)),
  );

  app.get(
    '/events/:event/teams',
    {
      schema: {
        tags,
        summary: 'The teams of an event with their pads',
        params: EventParams,
        response: { 200: Type.Object({ teams: Type.Array(Team) }), ...errors(400, 404) },
      },
    },
    async (req) => ({ teams: (await service.get(slugParam(req.params.event, 'event'))).teams }),
  );

  app.post(
    '/events/:event/teams',
    {
      bodyLimit: SMALL_BODY,
      onRequest: admin,
      schema: {
        tags,
        summary: 'Add a team (admin); 409 if the slug is taken',
        security: adminSecurity,
        params: EventParams,
        body: TeamInput,
        response: { 201: Team, ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createTeam(slugParam(req.params.event, 'event'), req.body)),
  );

  app.get(
    '/events/:event/teams/:team',
    {
      schema: { tags, summary: 'A team with its pads', params: TeamParams, response: { 200: Team, ...errors(400, 404) } },
    },
    async (req) => service.getTeamView(...ids(req.params)),
  );

  app.patch(
    '/events/:event/teams/:team',
    {
      bodyLimit: SMALL_BODY,
      onRequest: admin,
      schema: {
        tags,
        summary: 'Change a team (admin)',
        security: adminSecurity,
        params: TeamParams,
        body: TeamPatch,
        response: { 200: Team, ...errors(400, 401, 403, 404, 413) },
      },
    },
    async (req) => service.updateTeam(...ids(req.params), req.body),
  );

  app.delete(
    '/events/:event/teams/:team',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Remove a team and its bookings (admin; pads stay)',
        security: adminSecurity,
        params: TeamParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await service.deleteTeam(...ids(req.params));
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/events/:event/teams/:team/board',
    {
      bodyLimit: SMALL_BODY,
      onRequest: async (req, reply) => {
        if (options.adminToken !== null) assertAdmin(req, reply, options.adminToken);
      },
      schema: {
        tags,
        summary: 'Set what the team discusses now and next',
        security: adminSecurity,
        description:
          "Like ptgbot's `#team now ...`: a new `now` replaces `next` with the given list (empty if left out). Needs the admin token when the server has one.",
        params: TeamParams,
        body: BoardInput,
        response: { 200: Team, ...errors(400, 401, 403, 404, 413) },
      },
    },
    async (req) => service.setBoard(...ids(req.params), req.body.now, req.body.next),
  );

  app.get(
    '/events/:event/teams/:team/pads',
    {
      schema: {
        tags,
        summary: "A team's pads: the main pad first, then topic pads",
        params: TeamParams,
        response: { 200: Type.Object({ pads: Type.Array(TeamPad) }), ...errors(400, 404) },
      },
    },
    async (req) => {
      const [event, team] = ids(req.params);
      await service.requireTeam(event, team);
      return { pads: await service.teamPads(event, team) };
    },
  );

  app.post(
    '/events/:event/teams/:team/pads',
    {
      bodyLimit: SMALL_BODY,
      schema: {
        tags,
        summary: 'Add the topic pad <event>-<team>-<topic> (anyone)',
        params: TeamParams,
        body: PadCreateInput,
        response: { 200: TeamPad, 201: TeamPad, ...errors(400, 404, 409, 413) },
      },
    },
    async (req, reply) => {
      const [event, team] = ids(req.params);
      const { pad, created } = await service.createPad(event, team, req.body.topic, req.body.title);
      return reply.status(created ? 201 : 200).send(pad);
    },
  );

  app.patch(
    '/events/:event/teams/:team/pads/:padId',
    {
      bodyLimit: SMALL_BODY,
      schema: {
        tags,
        summary: "Set a pad's title (anyone; empty clears it)",
        params: PadParams,
        body: PadTitleInput,
        response: { 200: TeamPad, ...errors(400, 404, 413) },
      },
    },
    async (req) => service.setPadTitle(...ids(req.params), padIdParam(req.params.padId), req.body.title),
  );

  app.delete(
    '/events/:event/teams/:team/pads/:padId',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: "Delete a pad's content and title (admin); 409 while people are in it",
        security: adminSecurity,
        params: PadParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await service.deletePad(...ids(req.params), padIdParam(req.params.padId));
      return reply.status(204).send(null);
    },
  );
}
