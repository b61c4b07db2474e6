/**
 * Reads an `.etherpad` file: the JSON object Etherpad's `GET /p/<pad>/export/etherpad` produces,
 * one key per database record:
 *
 * - `pad:<name>`: `atext` (the current text), `pool` (attribute numbers), `head` (last
 *   revision), `chatHead`, `savedRevisions`;
 * - `pad:<name>:revs:<n>` for n = 0..head: `changeset` and `meta {author, timestamp}`, and on key
 *   revisions (every 100th) `meta.atext` (+ `meta.pool`) to check the replay against;
 * - `pad:<name>:chat:<n>`: `{text, time, userId or authorId, userName}`;
 * - `globalAuthor:<a.id>`: `{name, colorId}` (a palette index or a CSS colour).
 *
 * Structure is checked here (400: not an export of one pad); whether the history replays is
 * checked by the replay (422).
 */
import { ImportError } from './import-error.js';

export interface RevisionRecord {
  rev: number;
  changeset: string;
  /** Etherpad author id (`a.…`), '' for the server's own revisions. */
  author: string;
  /** Unix ms. */
  timestamp: number;
  /** Key revisions: the atext (and pool) as of this revision. */
  keyAText: unknown;
  keyPool: unknown;
}

export interface ChatRecord {
  text: string;
  /** Unix ms. */
  time: number;
  author: string;
  userName: string | null;
}

export interface AuthorRecord {
  name: string | null;
  /** A palette index or a CSS colour, as Etherpad stores it. */
  colorId: number | string | null;
}

export interface SavedRevisionRecord {
  rev: number;
  label: string;
  author: string;
  timestamp: number;
}

export interface EtherpadExport {
  /** The pad's name in Etherpad. */
  name: string;
  head: number;
  atext: unknown;
  pool: unknown;
  revisions: RevisionRecord[];
  chats: ChatRecord[];
  authors: Map<string, AuthorRecord>;
  saved: SavedRevisionRecord[];
}

const REVISION_KEY = /^pad:(.+):revs:(\d+)$/;
const CHAT_KEY = /^pad:(.+):chat:(\d+)$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the file's structure and collects its records; throws ImportError (400) naming what is wrong. */
export function readEtherpadExport(json: unknown): EtherpadExport {
  if (!isObject(json)) throw new ImportError(400, 'not_etherpad_export', 'An .etherpad file is a JSON object of database records.');
  const padKeys = Object.keys(json).filter((key) => key.startsWith('pad:') && !REVISION_KEY.test(key) && !CHAT_KEY.test(key));
  if (padKeys.length === 0)
    throw new ImportError(400, 'not_etherpad_export', 'The file has no pad record ("pad:<name>"): it is not an .etherpad export.');
  if (padKeys.length > 1) {
    throw new ImportError(
      400,
      'several_pads',
      `The file holds records of several pads (${padKeys
        .slice(0, 3)
        .map((k) => `"${k}"`)
        .join(', ')}); export one pad per file.`,
    );
  }
  const name = padKeys[0].slice(4);
  const pad = json[padKeys[0]];
  if (!isObject(pad)) throw new ImportError(400, 'not_etherpad_export', `The pad record "pad:${name}" is not an object.`);
  const head = pad.head;
  if (typeof head !== 'number' || !Number.isInteger(head) || head < 0)
    throw new ImportError(400, 'not_etherpad_export', `The pad record has no head revision number.`);

  if (!isObject(pad.atext)) throw new ImportError(400, 'not_etherpad_export', 'The pad record has no atext (its current text).');
  const revisions: (RevisionRecord | undefined)[] = new Array(head + 1);
  const chats: { n: number; chat: ChatRecord }[] = [];
  const authors = new Map<string, AuthorRecord>();
  for (const [key, value] of Object.entries(json)) {
    if (key === padKeys[0]) continue;
    const revision = REVISION_KEY.exec(key);
    const chat = CHAT_KEY.exec(key);
    const owner = revision?.[1] ?? chat?.[1] ?? (key.startsWith('pad:') ? key.slice(4) : null);
    if (owner !== null && owner !== name) {
      throw new ImportError(400, 'records_of_another_pad', `The record "${key.slice(0, 120)}" belongs to another pad than "${name}".`);
    }
    if (revision) {
      const rev = Number(revision[2]);
      if (rev > head) continue;
      revisions[rev] = readRevision(rev, value);
    } else if (chat) {
      const record = readChat(value);
      if (record) chats.push({ n: Number(chat[2]), chat: record });
    } else if (key.startsWith('globalAuthor:') && isObject(value)) {
      authors.set(key.slice('globalAuthor:'.length), {
        name: typeof value.name === 'string' ? value.name : null,
        colorId: typeof value.colorId === 'number' || typeof value.colorId === 'string' ? value.colorId : null,
      });
    }
    // Other records (plugins' data, a null author record) carry nothing a pad here can hold.
  }
  for (let rev = 0; rev <= head; rev += 1) {
    if (!revisions[rev])
      throw new ImportError(422, 'missing_revision', `Revision ${rev} of pad "${name}" is missing (the head is ${head}).`, rev);
  }
  chats.sort((a, b) => a.n - b.n);
  return {
    name,
    head,
    atext: pad.atext,
    pool: pad.pool,
    revisions: revisions as RevisionRecord[],
    chats: chats.map((c) => c.chat),
    authors,
    saved: readSavedRevisions(pad.savedRevisions, head),
  };
}

function readRevision(rev: number, value: unknown): RevisionRecord {
  if (!isObject(value) || typeof value.changeset !== 'string' || !isObject(value.meta)) {
    throw new ImportError(422, 'malformed_revision', `Revision ${rev} has no changeset and meta.`, rev);
  }
  const meta = value.meta;
  const timestamp = meta.timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) {
    throw new ImportError(422, 'malformed_revision', `Revision ${rev} has no timestamp.`, rev);
  }
  return {
    rev,
    changeset: value.changeset,
    author: typeof meta.author === 'string' ? meta.author : '',
    timestamp: Math.round(timestamp),
    keyAText: meta.atext,
    keyPool: meta.pool,
  };
}

function readChat(value: unknown): ChatRecord | null {
  if (!isObject(value) || typeof value.text !== 'string' || typeof value.time !== 'number') return null;
  const author = typeof value.authorId === 'string' ? value.authorId : typeof value.userId === 'string' ? value.userId : '';
  return { text: value.text, time: value.time, author, userName: typeof value.userName === 'string' ? value.userName : null };
}

function readSavedRevisions(value: unknown, head: number): SavedRevisionRecord[] {
  if (!Array.isArray(value)) return [];
  const saved: SavedRevisionRecord[] = [];
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.revNum !== 'number' || !Number.isInteger(entry.revNum) || entry.revNum < 0 || entry.revNum > head)
      continue;
    saved.push({
      rev: entry.revNum,
      label: typeof entry.label === 'string' && entry.label.trim() !== '' ? entry.label.slice(0, 200) : `Revision ${entry.revNum}`,
      author: typeof entry.savedById === 'string' ? entry.savedById : '',
      timestamp: typeof entry.timestamp === 'number' ? entry.timestamp : 0,
    });
  }
  return saved;
}
