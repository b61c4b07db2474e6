/**
 * Time spent on work that serves every peer of a room (applying its queued appends in one
 * transaction), which a connection's frame may happen to trigger. Connections read it around
 * their frames and leave it out of their CPU budget: the 64th typist of a busy pad would
 * otherwise pay for the 63 before it (bench/connection-cpu.ts).
 */
export const sharedWork = {
  /** Total so far in this process, ms. */
  ms: 0,
};

/** Runs `work`, counting its time as shared. */
export function asSharedWork(work: () => void): void {
  const started = performance.now();
  try {
    work();
  } finally {
    sharedWork.ms += performance.now() - started;
  }
}
