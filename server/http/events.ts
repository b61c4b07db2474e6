/**
 * `/api/v1/events`: list, read, create-or-replace (PUT), delete, import from ptgbot JSON, and
 * the schedule (rooms x slots per day with the booked team). Writes need the admin token.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Event, EventInput, EventList, Schedule, ScheduleInput } from '../../common/event-schemas.js';
import { slugParam } from '../events/event-model.js';
import type { EventService } from '../events/event-service.js';
import { PtgbotImport, ptgbotToEventInput } from '../events/ptgbot-import.js';
import { adminOnly } from './admin-auth.js';
import { adminSecurity, errors, EventParams } from './api-schemas.js';

export interface EventsApiOptions {
  service: EventService;
  adminToken: string | null;
}

/** Largest event or import body, bytes. */
export const EVENT_BODY_LIMIT = 1024 * 1024;

export async function eventsApi(fastify: FastifyInstance, options: EventsApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { service } = options;
  const admin = adminOnly(options.adminToken);
  const tags = ['events'];

  app.get(
    '/events',
    {
      schema: { tags, summary: 'Events: current first, then upcoming, then past', response: { 200: EventList } },
    },
    async () => ({ events: await service.list() }),
  );

  app.get(
    '/events/:event',
    {
      schema: {
        tags,
        summary: 'An event with its teams, their pads and live counts, and the schedule',
        params: EventParams,
        response: { 200: Event, ...errors(400, 404) },
      },
    },
    async (req) => service.get(slugParam(req.params.event, 'event')),
  );

  app.put(
    '/events/:event',
    {
      bodyLimit: EVENT_BODY_LIMIT,
      onRequest: admin,
      schema: {
        tags,
        summary: 'Create or replace an event (admin)',
        security: adminSecurity,
        description:
          'Fields left out keep their value. `teams`, when given, becomes the team list; `bookings` the schedule. Other fields are kept in `extras`.',
        params: EventParams,
        body: EventInput,
        response: { 200: Event, 201: Event, ...errors(400, 401, 403, 413) },
      },
    },
    async (req, reply) => {
      const slug = slugParam(req.params.event, 'event');
      const created = await service.put(slug, req.body);
      return reply.status(created ? 201 : 200).send(await service.get(slug));
    },
  );

  app.delete(
    '/events/:event',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Delete an event, its teams and schedule (admin; pads stay)',
        security: adminSecurity,
        params: EventParams,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await service.deleteEvent(slugParam(req.params.event, 'event'));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/events/:event/import',
    {
      bodyLimit: EVENT_BODY_LIMIT,
      onRequest: admin,
      schema: {
        tags,
        summary: 'Create or replace an event from a ptgbot JSON file (admin)',
        security: adminSecurity,
        description:
          "The body is ptgbot's JSON (`tracks`, `slots` per day, `schedule` per room, optional `colors`, `etherpads`, `now`, `next`) plus `startsOn` (date of the first day), and optionally `name` and `timeZone`.",
        params: EventParams,
        body: PtgbotImport,
        response: { 200: Event, 201: Event, ...errors(400, 401, 403, 413) },
      },
    },
    async (req, reply) => {
      const slug = slugParam(req.params.event, 'event');
      const created = await service.put(slug, ptgbotToEventInput(slug, req.body));
      return reply.status(created ? 201 : 200).send(await service.get(slug));
    },
  );

  app.get(
    '/events/:event/schedule',
    {
      schema: {
        tags,
        summary: 'Rooms, days with their slots, and bookings',
        params: EventParams,
        response: { 200: Schedule, ...errors(400, 404) },
      },
    },
    async (req) => service.schedule(slugParam(req.params.event, 'event')),
  );

  app.put(
    '/events/:event/schedule',
    {
      bodyLimit: EVENT_BODY_LIMIT,
      onRequest: admin,
      schema: {
        tags,
        summary: 'Replace the bookings (admin)',
        security: adminSecurity,
        params: EventParams,
        body: ScheduleInput,
        response: { 200: Schedule, ...errors(400, 401, 403, 404, 413) },
      },
    },
    async (req) => {
      const slug = slugParam(req.params.event, 'event');
      await service.replaceSchedule(slug, req.body.bookings);
      return service.schedule(slug);
    },
  );
}
