/** What a room needs from a connection. */
import type { SharedFrames } from './fan-out.js';
import type { ChangeOrigin } from './types.js';

export interface RoomPeer {
  readonly id: number;
  readonly author: string;
  readonly origin: ChangeOrigin;
  readonly wantsAcks: boolean;
  /** False for viewers: their write frames are dropped. */
  readonly canWrite: boolean;
  /** Awareness client ids this peer has published. */
  readonly awarenessClients: Set<number>;
  send(frame: Uint8Array): void;
  /** The same frames as many other peers get (a fan-out batch). */
  sendShared(frames: SharedFrames): void;
  close(code: number, reason: string): void;
}
