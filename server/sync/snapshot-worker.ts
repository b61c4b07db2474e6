/**
 * Worker thread body for SnapshotBuilder: rebuilds a pad's state from its latest snapshot and
 * the committed updates after it, and encodes it, off the event loop that serves live pads.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';

export interface BuildRequest {
  id: number;
  base: Uint8Array;
  /** The updates after `base`, concatenated; `lengths` splits them. */
  updates: Uint8Array;
  lengths: Uint32Array;
}

export type BuildResponse = { id: number; ok: true; state: Uint8Array } | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new TypeError('snapshot-worker must run in a worker thread');
lowerThreadPriority();

// Loaded after the priority is lowered: the worker lives only while it has builds to do, so
// starting it is part of each build's cost. Requests wait in the port until the listener is on.
const Y = await import('yjs');
port.on('message', (req: BuildRequest) => {
  let res: BuildResponse;
  try {
    res = { id: req.id, ok: true, state: build(req) };
  } catch (err) {
    res = { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(res, res.ok ? [res.state.buffer as ArrayBuffer] : []);
});

function build({ base, updates, lengths }: BuildRequest): Uint8Array {
  const doc = new Y.Doc({ gc: true });
  try {
    Y.transact(doc, () => {
      Y.applyUpdate(doc, base);
      let offset = 0;
      for (const length of lengths) {
        // As the room applied it (applyAccepted): an update Yjs fails on midway keeps what it applied.
        try {
          Y.applyUpdate(doc, updates.subarray(offset, offset + length));
        } catch {
          // The live document went on the same way.
        }
        offset += length;
      }
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Snapshots can wait; the loop's sockets cannot. On Linux a thread's nice value is its own, so
 * this thread takes the CPU the loop leaves idle and yields it whenever the loop wakes.
 * Elsewhere the thread keeps the process's priority.
 */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // Not Linux, or not allowed: the build then shares the CPU evenly with the loop.
  }
}
