/**
 * People per pad across all server processes, for the event page's live counts and the "people
 * are in this pad" guard. Each process shares its own counts through the bus every
 * `intervalMs` (they expire after three intervals, so a killed process drops out) and reads the
 * others'; a count is this process's live peers plus the others' as last read, so it lags by at
 * most about one interval.
 */
import type { ClusterBus } from '../sync/cluster-bus.js';
import type { Logger } from '../sync/types.js';

export interface ClusterPresenceOptions {
  bus: ClusterBus;
  /** This process's peers per pad (pads without peers may be left out). */
  local(): Map<string, number>;
  logger: Logger;
  intervalMs?: number;
}

export class ClusterPresence {
  private others = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private refreshing = false;

  constructor(private readonly options: ClusterPresenceOptions) {
    this.timer = setInterval(() => void this.refresh(), this.interval);
    this.timer.unref();
  }

  private get interval(): number {
    return this.options.intervalMs ?? 2000;
  }

  /** People on `padId` on the other processes. */
  elsewhere(padId: string): number {
    return this.others.get(padId) ?? 0;
  }

  /** Shares this process's counts and reads the others' now. */
  async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      await this.options.bus.sharePresence(this.options.local(), this.interval * 3);
      this.others = await this.options.bus.otherPresence();
    } catch (err) {
      // Redis is away: keep the last counts; the next interval tries again.
      this.options.logger.debug({ err }, 'could not share live counts');
    } finally {
      this.refreshing = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
