/**
 * The Etherpad API's functions about people: who is in a pad, who wrote in it, author names,
 * and chat. Authors appear under Etherpad-style ids (authors.ts), remembered so that
 * `getAuthorName` finds them again.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { CHAT_FIELD, MAX_CHAT_LENGTH, readChatMessage, type ChatMessage } from '../../../common/chat.js';
import { etherpadAuthorId, SYSTEM_AUTHOR, storedIdForEtherpadId } from '../authors.js';
import { badInput } from './api-error.js';
import { existingPadOf, writerOf, type ApiContext, type ApiFunction } from './api-context.js';

/** Etherpad-style ids for stored authors, remembered for `getAuthorName`. */
async function shownIds(stored: Iterable<string>, ctx: ApiContext): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const author of stored) if (author !== SYSTEM_AUTHOR) ids.set(author, etherpadAuthorId(author));
  await ctx.etherpad.rememberAuthorIds(Array.from(ids, ([author, id]) => [id, author] as const));
  return ids;
}

async function chatOf(padId: string, ctx: ApiContext): Promise<ChatMessage[]> {
  return ctx.rooms.use(padId, (room) =>
    room
      .currentDoc()
      .getArray(CHAT_FIELD)
      .toArray()
      .map(readChatMessage)
      .filter((m): m is ChatMessage => m !== null),
  );
}

const integerArg = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw badInput(`${name} is not a number`);
  return n;
};

export const peopleFunctions: Record<string, ApiFunction> = {
  async padUsersCount(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    return { padUsersCount: ctx.rooms.peek(padId)?.peers.size ?? 0 };
  },

  async padUsers(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    const room = ctx.rooms.peek(padId);
    if (!room) return { padUsers: [] };
    const ids = await shownIds(
      Array.from(room.peers, (p) => p.author),
      ctx,
    );
    const states = room.awareness.states();
    const users = Array.from(room.peers, (peer) => {
      const state = Array.from(peer.awarenessClients, (c) => states.get(c)).find(Boolean) as
        | { user?: { name?: unknown; color?: unknown } }
        | undefined;
      return {
        colorId: typeof state?.user?.color === 'string' ? state.user.color : null,
        name: typeof state?.user?.name === 'string' ? state.user.name : null,
        timestamp: Date.now(),
        id: ids.get(peer.author) ?? etherpadAuthorId(peer.author),
      };
    });
    return { padUsers: users };
  },

  async listAuthorsOfPad(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    await ctx.history.ready(padId);
    const authors = new Set((await ctx.historyStore.clients(padId)).values());
    return { authorIDs: Array.from((await shownIds(authors, ctx)).values()) };
  },

  async getAuthorName(args, ctx) {
    const id = args.authorID;
    if (!id) throw badInput('authorID is not a string');
    const stored = (await ctx.etherpad.authorForEtherpadId(id)) ?? storedIdForEtherpadId(id);
    const profile = stored ? (await ctx.pads.getAuthors([stored])).get(stored) : undefined;
    // As Etherpad's code (not its docs) answers: the name itself, null if unknown.
    return profile?.name ?? null;
  },

  async getChatHistory(args, ctx) {
    let start = integerArg(args.start, 'start');
    let end = integerArg(args.end, 'end');
    if (start !== undefined && end !== undefined) {
      if (start < 0) throw badInput('start is below zero');
      if (end < 0) throw badInput('end is below zero');
      if (start > end) throw badInput('start is higher than end');
    }
    const padId = await existingPadOf(args, ctx);
    const messages = await chatOf(padId, ctx);
    const chatHead = messages.length - 1;
    if (start === undefined || end === undefined) {
      start = 0;
      end = chatHead;
    }
    if (start > chatHead) throw badInput('start is higher than the current chatHead');
    if (end > chatHead) throw badInput('end is higher than the current chatHead');
    const owners = await ctx.historyStore.clients(padId);
    const ids = await shownIds(new Set(messages.map((m) => owners.get(m.clientID) ?? SYSTEM_AUTHOR)), ctx);
    return {
      messages: messages.slice(start, end + 1).map((m) => {
        const author = ids.get(owners.get(m.clientID) ?? SYSTEM_AUTHOR) ?? '';
        return { text: m.text, userId: author, authorId: author, time: m.time, userName: m.author };
      }),
    };
  },

  async getChatHead(args, ctx) {
    const padId = await existingPadOf(args, ctx);
    return { chatHead: (await chatOf(padId, ctx)).length - 1 };
  },

  async appendChatMessage(args, ctx) {
    const text = args.text;
    if (typeof text !== 'string') throw badInput('text is not a string');
    if (text.trim() === '' || text.length > MAX_CHAT_LENGTH) throw badInput(`text must have 1 to ${MAX_CHAT_LENGTH} characters`);
    const padId = await existingPadOf(args, ctx);
    const time = integerArg(args.time, 'time') ?? Date.now();
    const author = await writerOf(args, ctx);
    const profile = (await ctx.pads.getAuthors([author])).get(author);
    await ctx.rooms.use(padId, async (room) => {
      const scratch = new Y.Doc();
      try {
        Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.currentDoc()));
        const before = Y.encodeStateVector(scratch);
        const message: ChatMessage = {
          id: randomUUID(),
          author: profile?.name || 'API',
          color: profile?.color || '#5d6470',
          text,
          time,
          clientID: scratch.clientID,
        };
        scratch.getArray<ChatMessage>(CHAT_FIELD).push([message]);
        await room.applyApiUpdate(Y.encodeStateAsUpdate(scratch, before), author);
      } finally {
        scratch.destroy();
      }
    });
    return null;
  },

  async checkToken() {
    return null;
  },
};
