/**
 * Live updates of an event page over server-sent events. While anyone listens to an event, a
 * poller reads the event once a second (and at once after a write through the API) and pushes
 * `event` (the whole event, when anything but live counts changed: teams, pads, now/next,
 * schedule) and `counts` (connections per pad, when they changed). Nothing runs for events
 * nobody is watching.
 */
import type { EventT } from '../../common/event-schemas.js';
import type { Logger } from '../sync/types.js';
import type { EventService } from './event-service.js';

/** Someone listening: gets the SSE `event:` name and its JSON data. */
export type LiveListener = (name: 'event' | 'counts' | 'gone', data: unknown) => void;

interface Watch {
  listeners: Set<LiveListener>;
  timer: NodeJS.Timeout;
  shape: string | null;
  counts: string | null;
  busy: boolean;
  again: boolean;
}

export interface LiveFeedOptions {
  service: EventService;
  logger: Logger;
  /** Poll interval, ms (default 1000). */
  intervalMs?: number;
}

export class LiveFeed {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly options: LiveFeedOptions) {
    options.service.on('change', (event) => {
      const watch = this.watches.get(event);
      if (watch) void this.tick(event, watch);
    });
  }

  /** Starts pushing `event`'s changes to `listener` (first a full `event` and `counts`); returns unsubscribe. */
  subscribe(event: string, listener: LiveListener): () => void {
    let watch = this.watches.get(event);
    if (!watch) {
      const timer = setInterval(() => {
        const w = this.watches.get(event);
        if (w) void this.tick(event, w);
      }, this.options.intervalMs ?? 1000);
      timer.unref();
      watch = { listeners: new Set(), timer, shape: null, counts: null, busy: false, again: false };
      this.watches.set(event, watch);
    }
    watch.listeners.add(listener);
    // A newcomer needs the current state even if nothing changed: reset what was sent.
    watch.shape = null;
    watch.counts = null;
    void this.tick(event, watch);
    return () => {
      const w = this.watches.get(event);
      if (!w) return;
      w.listeners.delete(listener);
      if (w.listeners.size === 0) {
        clearInterval(w.timer);
        this.watches.delete(event);
      }
    };
  }

  get watching(): number {
    return this.watches.size;
  }

  close(): void {
    for (const [event, watch] of this.watches) {
      clearInterval(watch.timer);
      for (const listener of watch.listeners) listener('gone', { event });
    }
    this.watches.clear();
  }

  private async tick(event: string, watch: Watch): Promise<void> {
    if (watch.busy) {
      watch.again = true;
      return;
    }
    watch.busy = true;
    try {
      let view: EventT;
      try {
        view = await this.options.service.get(event);
      } catch {
        this.send(watch, 'gone', { event });
        return;
      }
      const counts: Record<string, number> = {};
      for (const team of view.teams) for (const pad of team.pads) counts[pad.id] = pad.live;
      const shape = JSON.stringify(view, (key, value: unknown) => (key === 'live' ? undefined : value));
      const countsJson = JSON.stringify(counts);
      if (shape !== watch.shape) {
        watch.shape = shape;
        this.send(watch, 'event', view);
      }
      if (countsJson !== watch.counts) {
        watch.counts = countsJson;
        this.send(watch, 'counts', { pads: counts });
      }
    } catch (err) {
      this.options.logger.warn({ event, err }, 'live feed update failed');
    } finally {
      watch.busy = false;
      if (watch.again && this.watches.get(event) === watch) {
        watch.again = false;
        void this.tick(event, watch);
      }
    }
  }

  private send(watch: Watch, name: 'event' | 'counts' | 'gone', data: unknown): void {
    for (const listener of Array.from(watch.listeners)) listener(name, data);
  }
}
