/**
 * Any pad of ours as an `.etherpad` file that Etherpad's own import accepts (`Pad.check`): one
 * Etherpad revision per revision here (ours n is Etherpad's n - 1), each a changeset by its
 * author with its time, key revisions every 100 with their atext, the current atext and pool,
 * authors (`globalAuthor:` records with name and colour), chat and saved revisions. Authors are
 * shown under Etherpad-style ids (authors.ts), never the ids stored here.
 */
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { CHAT_FIELD, readChatMessage } from '../../common/chat.js';
import { ApiError } from '../errors.js';
import type { HistoryIndexer } from '../history/history-indexer.js';
import { docNode } from '../history/revision-content.js';
import type { HistoryStore, Revision } from '../history/types.js';
import type { Rooms } from '../sync/rooms.js';
import type { AuthorProfile } from '../sync/types.js';
import { etherpadAuthorId } from './authors.js';
import { ChangesetWriter, PoolWriter, atextAttribs } from './changeset-writer.js';
import { documentLines } from './document-lines.js';
import type { EtherpadStore } from './etherpad-store.js';

export interface EtherpadExporterDeps {
  history: HistoryStore;
  indexer: Pick<HistoryIndexer, 'loadInto' | 'catchUp'>;
  rooms: Rooms;
  etherpad: Pick<EtherpadStore, 'rememberAuthorIds'>;
  padInfo(padId: string): Promise<{ lastSeq: number; createdAt: number } | null>;
  profiles(ids: readonly string[]): Promise<Map<string, AuthorProfile>>;
  /** Gives the event loop a turn between revisions of a long history. */
  yieldEvery?: () => Promise<void>;
}

/** Etherpad stores a key revision (full atext) every this many revisions. */
const KEY_REVISION_EVERY = 100;
const PAGE = 1000;

export class EtherpadExporter {
  constructor(private readonly deps: EtherpadExporterDeps) {}

  async export(padId: string): Promise<Record<string, unknown>> {
    const info = await this.deps.padInfo(padId);
    if (!info) throw new ApiError('padNotFound', `No pad named "${padId}".`);
    await this.deps.rooms.commits.drain();
    await this.deps.indexer.catchUp(padId);
    const revisions = await this.allRevisions(padId);
    const pool = new PoolWriter();
    const writer = new ChangesetWriter(pool);
    const records: Record<string, unknown> = {};
    const shownAuthors = new Map<string, string>();
    const shown = (stored: string) => {
      const id = etherpadAuthorId(stored);
      if (id) shownAuthors.set(id, stored);
      return id;
    };
    const key = (suffix: string) => `pad:${padId}${suffix}`;

    const doc = new Y.Doc();
    let loadedSeq = 0;
    try {
      if (revisions.length === 0) {
        records[key(':revs:0')] = {
          changeset: writer.write([{ text: '', lineAttribs: [], runs: [] }], ''),
          meta: {
            author: '',
            timestamp: info.createdAt,
            pool: pool.toJson(),
            atext: { text: writer.atext.text, attribs: atextAttribs(writer.atext, pool) },
          },
        };
      }
      for (const [i, revision] of revisions.entries()) {
        await this.deps.indexer.loadInto(doc, padId, revision.lastSeq, loadedSeq);
        loadedSeq = revision.lastSeq;
        const author = shown(revision.authors[0] ?? 'api');
        // Every revision's author must be in the pool, also one who only deleted.
        if (author) pool.num(['author', author]);
        const changeset = writer.write(documentLines(docNode(doc)), author);
        const meta: Record<string, unknown> = { author, timestamp: Math.max(1, revision.endTime) };
        if (i % KEY_REVISION_EVERY === 0) meta.atext = { text: writer.atext.text, attribs: atextAttribs(writer.atext, pool) };
        records[key(`:revs:${i}`)] = { changeset, meta };
        await this.deps.yieldEvery?.();
      }
      const chat = this.deps.rooms.use(padId, (room) =>
        room
          .currentDoc()
          .getArray(CHAT_FIELD)
          .toArray()
          .map(readChatMessage)
          .filter((m) => m !== null),
      );
      const owners = await this.deps.history.clients(padId);
      (await chat).forEach((message, n) => {
        records[key(`:chat:${n}`)] = {
          text: message.text,
          authorId: shown(owners.get(message.clientID) ?? 'api'),
          time: message.time,
          userName: message.author,
        };
      });
      const saved = await this.deps.history.savedRevisions(padId);
      const savedRevisions = Array.from(new Map(saved.map((s) => [s.rev, s])).values())
        .sort((a, b) => a.rev - b.rev)
        .map((s) => ({
          revNum: s.rev - (revisions[0]?.rev ?? 1),
          savedById: shown(s.author),
          label: s.label,
          timestamp: s.createdAt,
          id: randomBytes(5).toString('hex'),
        }))
        .filter((s) => s.revNum >= 0 && s.revNum < Math.max(revisions.length, 1));
      const head = Math.max(revisions.length - 1, 0);
      const profiles = await this.deps.profiles(Array.from(shownAuthors.values()));
      for (const [etherpadId, stored] of shownAuthors) {
        const profile = profiles.get(stored);
        records[`globalAuthor:${etherpadId}`] = {
          colorId: profile?.color || '#868e96',
          name: profile?.name ?? null,
          timestamp: Date.now(),
          padIDs: padId,
        };
      }
      // Pool after every use, and the pad record with the final atext.
      records[key('')] = {
        atext: { text: writer.atext.text, attribs: atextAttribs(writer.atext, pool) },
        pool: pool.toJson(),
        head,
        chatHead: (await chat).length - 1,
        publicStatus: false,
        savedRevisions,
      };
      // Key revisions carry the pool as it is at the end (Etherpad reads them with it).
      for (let rev = 0; rev <= head; rev += KEY_REVISION_EVERY) {
        const record = records[key(`:revs:${rev}`)] as { meta: Record<string, unknown> };
        record.meta.pool = pool.toJson();
      }
      await this.deps.etherpad.rememberAuthorIds(Array.from(shownAuthors));
      return records;
    } finally {
      doc.destroy();
    }
  }

  private async allRevisions(padId: string): Promise<Revision[]> {
    const all: Revision[] = [];
    for (let after = 0; ; ) {
      const page = await this.deps.history.listRevisions(padId, after, PAGE);
      all.push(...page);
      if (page.length < PAGE) return all;
      after = page[page.length - 1].rev;
    }
  }
}
