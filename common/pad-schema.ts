/**
 * The top-level names of a pad's Y.Doc (docs/architecture.md, "Inside a pad's Y.Doc"): the
 * server refuses updates that write to any other, so nothing can grow a pad where no one sees
 * or can delete it. A new part of a pad adds its name here.
 */

/** The notes: TipTap's default field, a Y.XmlFragment. */
export const CONTENT_FIELD = 'default';
/** Chat messages: a Y.Array (common/chat.ts). */
export const CHAT_FIELD = 'chat';
/** The board: a Y.Map of shapes (common/board/board-doc.ts). */
export const BOARD_MAP = 'board';

export const PAD_TOP_LEVEL_NAMES: ReadonlySet<string> = new Set([CONTENT_FIELD, CHAT_FIELD, BOARD_MAP]);
