/**
 * Polls a server's `/healthz` back to back (20 ms apart) while something else goes on: the
 * slowest answer is how long the server's event loop was held meanwhile, as a user would see.
 * For a child-process server only: a server in this process would hold the probe's loop too.
 */
export interface HealthProbe {
  /** Stops polling; resolves with the slowest answer (ms) and how many checks ran. */
  stop(): Promise<{ worstMs: number; checks: number }>;
}

export function probeHealth(baseUrl: string): HealthProbe {
  let running = true;
  let worstMs = 0;
  let checks = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await fetch(`${baseUrl}/healthz`);
      } catch {
        // A failed check counts with its time, like an answered one.
      }
      worstMs = Math.max(worstMs, performance.now() - started);
      checks += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { worstMs, checks };
    },
  };
}
