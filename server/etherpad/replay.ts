/**
 * Turns an Etherpad export into our history: one Yjs update per Etherpad revision, made on a
 * Y.Doc as that revision's author (each author writes under a Yjs client id of their own, so
 * authorship colours and the timeslider show who wrote what), with Etherpad's timestamp. Each
 * revision's document is written with `updateYFragment`, which rewrites only what changed, as
 * a restore does. Chat messages join the revision current at their time.
 */
import type { Schema } from '@tiptap/pm/model';
import { updateYFragment } from '@tiptap/y-tiptap';
import { randomBytes, randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { CHAT_FIELD, MAX_CHAT_LENGTH, type ChatMessage } from '../../common/chat.js';
import { CONTENT_FIELD } from '../../common/markdown/pad-content.js';
import type { AuthorProfile } from '../sync/types.js';
import { updateStats } from '../history/update-stats.js';
import type { Keyframe, Revision } from '../history/types.js';
import { replayATexts } from './atext-replay.js';
import { authorColor, importedAuthorId, type ImportScope } from './authors.js';
import type { EtherpadExport } from './export-file.js';
import { PadDocumentBuilder, type DroppedAttributes } from './pad-document.js';

/** Everything an import stores, in one transaction (`EtherpadStore.importPad`). */
export interface ImportedPad {
  padId: string;
  /** One per revision, seq i + 1. */
  updates: { time: number; author: string; data: Uint8Array; claims: number[] }[];
  revisions: Revision[];
  /** Yjs client id -> author. */
  clients: Map<number, string>;
  keyframes: Keyframe[];
  /** The final state, as the pad's snapshot. */
  snapshot: Uint8Array;
  saved: { rev: number; label: string; author: string; createdAt: number }[];
  /** Profiles of the imported authors (kept where one is already known). */
  profiles: Map<string, AuthorProfile>;
  /** An old name that should lead here (`/p/<alias>`). */
  alias: string | null;
}

export interface ReplaySummary {
  revisions: number;
  authors: number;
  chatMessages: number;
  savedRevisions: number;
  droppedAttributes: DroppedAttributes;
}

export interface ReplayOptions {
  padId: string;
  scope: ImportScope;
  schema: Schema;
  /** Import revisions 0..throughRevision only (a file whose later history is corrupt). */
  throughRevision?: number;
  /** Keyframe cadence, as the history indexer's (default 100). */
  keyframeEvery?: number;
  /** Called after each revision: may give the event loop a turn (the server passes one; tools need not). */
  yieldEvery?: () => Promise<void>;
}

/** An empty Yjs update: a revision that changed nothing this pad can show (a dropped attribute). */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

export async function replayExport(file: EtherpadExport, options: ReplayOptions): Promise<{ pad: ImportedPad; summary: ReplaySummary }> {
  const through = options.throughRevision ?? file.head;
  const trimmed: EtherpadExport =
    through < file.head ? { ...file, head: through, revisions: file.revisions.slice(0, through + 1), atext: undefined } : file;
  const keyframeEvery = options.keyframeEvery ?? 100;
  const doc = new Y.Doc({ gc: true });
  const fragment = doc.getXmlFragment(CONTENT_FIELD);
  const chat = doc.getArray<ChatMessage>(CHAT_FIELD);
  const builder = new PadDocumentBuilder(options.schema);
  const meta = { mapping: new Map(), isOMark: new Map() };
  const clientOf = new Map<string, number>();
  const clients = new Map<number, string>();
  const authorOf = (etherpadId: string) => importedAuthorId(etherpadId, options.scope);
  const clientFor = (etherpadId: string): number => {
    let client = clientOf.get(etherpadId);
    if (client === undefined) {
      do client = randomBytes(4).readUInt32BE(0) >>> 1;
      while (clients.has(client) || client === 0);
      clientOf.set(etherpadId, client);
      clients.set(client, authorOf(etherpadId));
    }
    return client;
  };
  const profileOf = (etherpadId: string): AuthorProfile => {
    const record = file.authors.get(etherpadId);
    return {
      name: record?.name?.trim().slice(0, 60) || (etherpadId === '' ? 'Etherpad' : 'Anonymous'),
      color: authorColor(record?.colorId ?? null, etherpadId),
    };
  };

  const chats = [...trimmed.chats].sort((a, b) => a.time - b.time);
  let nextChat = 0;
  const updates: ImportedPad['updates'] = [];
  const revisions: Revision[] = [];
  const keyframes: Keyframe[] = [];
  const dropped: DroppedAttributes = {};
  let sinceKeyframe = 0;
  let stateBytes = 0;
  let last: { rev: number } | null = null;
  try {
    const replay = replayATexts(trimmed);
    for (const { record, atext } of replay.revisions) {
      const isLast = record.rev === trimmed.head;
      const next = builder.build(atext, isLast ? dropped : undefined);
      doc.clientID = clientFor(record.author);
      const captured: Uint8Array[] = [];
      const capture = (update: Uint8Array) => captured.push(update);
      doc.on('update', capture);
      doc.transact(() => {
        updateYFragment(doc, fragment, next, meta as never);
        const nextTime = isLast ? Infinity : trimmed.revisions[record.rev + 1].timestamp;
        const batch: ChatMessage[] = [];
        while (nextChat < chats.length && chats[nextChat].time < nextTime) {
          const message = chats[nextChat++];
          const profile = profileOf(message.author);
          batch.push({
            id: randomUUID(),
            author: (message.userName?.trim() || profile.name).slice(0, 60),
            color: profile.color,
            text: message.text.slice(0, MAX_CHAT_LENGTH),
            time: message.time,
            clientID: clientFor(message.author),
          });
        }
        const messages = batch.filter((m) => m.text.trim() !== '');
        if (messages.length > 0) chat.push(messages);
      });
      doc.off('update', capture);
      const data = captured.length === 0 ? EMPTY_UPDATE : captured.length === 1 ? captured[0] : Y.mergeUpdates(captured);
      const author = authorOf(record.author);
      const stats = updateStats(data);
      const seq = updates.length + 1;
      updates.push({ time: record.timestamp, author, data, claims: stats.clients.filter((c) => clients.get(c) === author) });
      revisions.push({
        rev: seq,
        firstSeq: seq,
        lastSeq: seq,
        startTime: record.timestamp,
        endTime: record.timestamp,
        authors: [author],
        updates: 1,
        bytes: data.byteLength,
        inserted: stats.inserted,
        deleted: stats.deleted,
      });
      // Keyframes as the history indexer makes them: every keyframeEvery-th revision, once the
      // log since the last one is worth half a state.
      sinceKeyframe += data.byteLength;
      if (seq % keyframeEvery === 0 && sinceKeyframe >= stateBytes / 2) {
        const state = Y.encodeStateAsUpdate(doc);
        stateBytes = state.byteLength;
        if (sinceKeyframe >= stateBytes / 2) {
          keyframes.push({ seq, rev: seq, data: state });
          sinceKeyframe = 0;
        }
      }
      last = record;
      if (options.yieldEvery) await options.yieldEvery();
    }
    const saved = trimmed.saved
      .filter((s) => s.rev <= trimmed.head)
      .map((s) => ({
        rev: s.rev + 1,
        label: s.label,
        author: authorOf(s.author),
        createdAt: s.timestamp || trimmed.revisions[s.rev].timestamp,
      }));
    const profiles = new Map<string, AuthorProfile>();
    for (const etherpadId of new Set([...clientOf.keys(), ...trimmed.saved.map((s) => s.author)])) {
      if (etherpadId !== '') profiles.set(authorOf(etherpadId), profileOf(etherpadId));
    }
    const textAuthors = new Set(trimmed.revisions.map((r) => r.author).filter((a) => a !== ''));
    return {
      pad: {
        padId: options.padId,
        updates,
        revisions,
        clients,
        keyframes,
        snapshot: Y.encodeStateAsUpdate(doc),
        saved,
        profiles,
        alias: null,
      },
      summary: {
        revisions: last ? last.rev + 1 : 0,
        authors: textAuthors.size,
        chatMessages: chat.length,
        savedRevisions: saved.length,
        droppedAttributes: dropped,
      },
    };
  } finally {
    doc.destroy();
  }
}
