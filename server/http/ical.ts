/**
 * `GET /e/<event>/<team>.ics`: a team's bookings as an iCalendar feed, one VEVENT per booked
 * block (consecutive slots in one room merged, `sessionBlocks`), titled `Nova: room Bexar`,
 * with the link to the team's pad (its own pad URL when set) in the description and URL.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import ical from 'ical-generator';
import { ApiError } from '../errors.js';
import { blockLabel, sessionBlocks } from '../../common/schedule.js';
import { slugParam } from '../events/event-model.js';
import type { EventService } from '../events/event-service.js';

export interface IcalOptions {
  service: EventService;
  /** PUBLIC_URL; without it links use the request's Host. */
  publicUrl: string | null;
}

export function baseUrl(req: FastifyRequest, publicUrl: string | null): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const host = /^[A-Za-z0-9.:[\]-]{1,255}$/.test(req.headers.host ?? '') ? req.headers.host : '127.0.0.1';
  return `${req.protocol}://${host}`;
}

export async function icalRoutes(app: FastifyInstance, options: IcalOptions): Promise<void> {
  app.get<{ Params: { event: string; file: string } }>(
    '/e/:event/:file',
    {
      schema: {
        hide: true,
        params: { type: 'object', properties: { event: { type: 'string', maxLength: 300 }, file: { type: 'string', maxLength: 300 } } },
      },
    },
    async (req, reply) => {
      if (!req.params.file.endsWith('.ics')) throw new ApiError('notFound', 'Team calendars are at /e/<event>/<team>.ics.');
      const eventSlug = slugParam(req.params.event, 'event');
      const teamSlug = slugParam(req.params.file.slice(0, -4), 'team');
      const event = await options.service.requireEvent(eventSlug);
      const team = await options.service.getTeamView(eventSlug, teamSlug);
      const { bookings } = await options.service.schedule(eventSlug);
      const base = baseUrl(req, options.publicUrl);
      const padLink = team.padUrl ?? `${base}/p/${team.pads[0].id}`;
      const host = new URL(base).hostname || 'gatherpad';

      const calendar = ical({ name: oneLine(`${team.name} · ${event.name}`), prodId: { company: 'Gatherpad', product: 'Gatherpad' } });
      for (const block of sessionBlocks(event.days, bookings, event.timeZone)) {
        if (block.team !== teamSlug) continue;
        calendar.createEvent({
          id: `${eventSlug}-${teamSlug}-${block.day}-${block.slots[0]}-${block.room}`.replace(/[^A-Za-z0-9_.-]/g, '_') + `@${host}`,
          start: new Date(block.startsAt),
          end: new Date(block.endsAt),
          summary: oneLine(`${team.name}: room ${block.room}`),
          location: oneLine(block.room),
          description: `${oneLine(`${team.name} at ${event.name}: ${blockLabel(block)}.`)}\nNotes: ${padLink}\nEvent: ${base}/e/${eventSlug}`,
          url: padLink,
        });
      }
      return reply
        .header('Content-Type', 'text/calendar; charset=utf-8')
        .header('Content-Disposition', `inline; filename="${eventSlug}-${teamSlug}.ics"`)
        .header('Cache-Control', 'no-cache')
        .send(calendar.toString());
    },
  );
}

/**
 * A name as one line of calendar text. ical-generator escapes line breaks in most properties
 * but writes the calendar's NAME and X-WR-CALNAME as given: a team name with CRLF added
 * properties (or whole events) to everyone's calendar. Every control and line-separator
 * character becomes a space, everywhere names go.
 */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}
