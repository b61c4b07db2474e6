/**
 * Work a person waits on through the event loop (every socket, every request) comes first;
 * worker threads that build snapshots or history views can wait. On Linux a thread's nice
 * value is its own, so a worker calling this takes the CPU the loop leaves idle and yields it
 * whenever the loop wakes. Elsewhere the thread keeps the process's priority.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // Not Linux, or not allowed: the work then shares the CPU evenly with the loop.
  }
}
