/**
 * How long the server keeps others waiting while something heavy runs: `/healthz` asked over
 * and over, one request at a time, until `during` settles; the slowest answer is what a stalled
 * event loop costs everyone else.
 */
export async function worstHealthLatency<T>(baseUrl: string, during: Promise<T>): Promise<{ worstMs: number; probes: number; result: T }> {
  let done = false;
  const settled = during.finally(() => {
    done = true;
  });
  let worstMs = 0;
  let probes = 0;
  // Bounded: a probe at least every few ms for at most ten minutes of flood.
  for (let i = 0; !done && i < 100_000; i += 1) {
    const started = performance.now();
    const res = await fetch(`${baseUrl}/healthz`);
    await res.arrayBuffer();
    worstMs = Math.max(worstMs, performance.now() - started);
    probes += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { worstMs, probes, result: await settled };
}
