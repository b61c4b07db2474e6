/**
 * Pad chat, stored in the pad's Y.Doc under the top-level name `chat`: a Y.Array of plain
 * message objects, appended by clients. The server drops every write from viewers, so viewers
 * can read the chat but never add to it; the length cap is checked by the client and again by
 * the server (server/chat/chat-guard.ts removes longer messages after commit).
 */

/** The Y.Doc top-level name of the chat array. */
export { CHAT_FIELD } from './pad-schema.js';

/** Characters per message, after trimming. */
export const MAX_CHAT_LENGTH = 2000;

export interface ChatMessage {
  /** Random id, unique per message. */
  id: string;
  /** The display name the author chose (a claim, like caret names). */
  author: string;
  /** `#rrggbb` */
  color: string;
  text: string;
  /** Milliseconds since the epoch, by the sender's clock. */
  time: number;
  /** The sender's Y.Doc client id (tells my own messages from others'). */
  clientID: number;
}

/** The message as stored, or null when it is not a well-formed chat message within the cap. */
export function readChatMessage(value: unknown): ChatMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.author !== 'string' || typeof v.text !== 'string') return null;
  if (typeof v.time !== 'number' || typeof v.clientID !== 'number') return null;
  if (v.text.length === 0 || v.text.length > MAX_CHAT_LENGTH) return null;
  const color = typeof v.color === 'string' && /^#[0-9a-f]{6}$/i.test(v.color) ? v.color : '#5d6470';
  return { id: v.id, author: v.author.slice(0, 60), color, text: v.text, time: v.time, clientID: v.clientID };
}
