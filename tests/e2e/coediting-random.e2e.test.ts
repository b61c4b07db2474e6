/**
 * Seeded random co-editing in separate Chromium processes behind a relay that adds jitter
 * (tests/helpers/random-writers.ts says what each person does). Afterwards every screen and
 * the server hold the same document, and every word is there exactly once and unbroken unless
 * its author deleted it. On failure the seed is in the message: rerun it with COEDIT_SEED.
 *
 * Size: COEDIT_BROWSERS (3), COEDIT_SECONDS (30), COEDIT_SEED (random), COEDIT_RUNS (1);
 * `npm run soak:coedit` runs it longer.
 */
import { getSchema } from '@tiptap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { padExtensions } from '../../common/extensions.js';
import { readPadDoc } from '../../common/markdown/pad-content.js';
import { randomPadId } from '../../common/pad-id.js';
import { skipWithoutBrowser } from '../helpers/browser.js';
import { connectProvider, synced } from '../helpers/clients.js';
import { closeWriters, openWriter, type Writer } from '../helpers/coediting.js';
import { startJitterRelay, type JitterRelay } from '../helpers/jitter-relay.js';
import { WAIT } from '../helpers/pad-people.js';
import { checkWords, runRandomWriters } from '../helpers/random-writers.js';
import { whoRemoved } from '../helpers/revision-blame.js';
import { startServer, type ChildServer } from '../helpers/server.js';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const BROWSERS = env('COEDIT_BROWSERS', 3);
const SECONDS = env('COEDIT_SECONDS', 30);
const RUNS = env('COEDIT_RUNS', 1);
const FIRST_SEED = env('COEDIT_SEED', Math.floor(Math.random() * 1_000_000));
const PEOPLE = [
  { name: 'Ada', color: '#e03131' },
  { name: 'Bob', color: '#1c7ed6' },
  { name: 'Cyd', color: '#2f9e44' },
  { name: 'Dee', color: '#ae3ec9' },
  { name: 'Eve', color: '#e8590c' },
].slice(0, BROWSERS);
const SEED_WORDS = ['agenda', 'seedone', 'notes', 'seedtwo', 'actions', 'seedthree'];
const SEED_MARKDOWN = '## agenda\n\nseedone\n\n## notes\n\nseedtwo\n\n## actions\n\nseedthree\n';

type DocJson = Record<string, unknown>;

function editorDoc(writer: Writer): Promise<{ json: DocJson; text: string }> {
  return writer.page.evaluate(() => {
    type Doc = {
      toJSON(): Record<string, unknown>;
      textBetween(from: number, to: number, separator: string): string;
      content: { size: number };
    };
    const dom = document.querySelector('.pad-content') as (HTMLElement & { editor?: { state: { doc: Doc } } }) | null;
    if (!dom?.editor) throw new Error('no editor on the page');
    const { doc } = dom.editor.state;
    return { json: doc.toJSON(), text: doc.textBetween(0, doc.content.size, '\n') };
  });
}

/** The pad as the server stores it, read by a stock provider in Node. */
async function serverDoc(server: ChildServer, padId: string): Promise<DocJson> {
  const client = connectProvider(server.wsUrl, padId);
  try {
    await synced(client);
    return readPadDoc(client.doc, getSchema(padExtensions())).toJSON() as DocJson;
  } finally {
    client.destroy();
  }
}

describe.skipIf(skipWithoutBrowser)('random co-editing in separate browsers', () => {
  let server: ChildServer;
  let relay: JitterRelay;

  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  for (let run = 0; run < RUNS; run++) {
    const seed = FIRST_SEED + run;
    it(
      `${BROWSERS} browsers x ${SECONDS} s, seed ${seed}: every word once and unbroken, all copies alike`,
      async () => {
        relay = await startJitterRelay(server.baseUrl, { seed, maxDelayMs: 120 });
        const padId = `random-${randomPadId()}`;
        const seeded = await fetch(`${server.baseUrl}/api/v1/pads/${padId}/content`, {
          method: 'PUT',
          headers: { 'content-type': 'text/markdown' },
          body: SEED_MARKDOWN,
        });
        expect(seeded.status, await seeded.clone().text()).toBe(201);
        const writers = await Promise.all(PEOPLE.map((person) => openWriter(`${relay.baseUrl}/p/${padId}`, person)));
        try {
          const log = await runRandomWriters(writers, { seed, durationMs: SECONDS * 1000, typingPerSecond: 12, minWordsEach: 8 });
          const failure = (what: string) =>
            `seed ${seed} (rerun: COEDIT_SEED=${seed} COEDIT_BROWSERS=${BROWSERS} COEDIT_SECONDS=${SECONDS}): ${what}`;

          // Converged: every editor holds the same document, and so does the server.
          let docs = await Promise.all(writers.map(editorDoc));
          await expect
            .poll(
              async () => {
                docs = await Promise.all(writers.map(editorDoc));
                return docs.every((doc) => JSON.stringify(doc.json) === JSON.stringify(docs[0].json));
              },
              { ...WAIT, message: failure('the editors did not converge') },
            )
            .toBe(true);
          await expect
            .poll(async () => JSON.stringify(await serverDoc(server, padId)), {
              ...WAIT,
              message: failure('the server holds another document'),
            })
            .toBe(JSON.stringify(docs[0].json));

          const problems = checkWords(docs[0].text, log, SEED_WORDS);
          if (problems.length > 0) {
            const lost = log.words
              .filter((word) => !word.deleted && !docs[0].text.split(/\s+/).includes(word.word))
              .map((word) => word.word);
            const blame = await whoRemoved(server.baseUrl, padId, lost);
            expect(
              problems,
              failure(
                `${problems.length} word problems in:\n${docs[0].text}\n\nwhat each did:\n${log.trace.join('\n')}\n\nwhere lost words went:\n${blame.join('\n')}\n\npage errors:\n${writers.map((writer) => `${writer.name}: ${writer.errors.join('\n') || 'none'}`).join('\n')}\n`,
              ),
            ).toEqual([]);
          }
          expect(log.words.filter((word) => !word.deleted).length, failure('too few words to mean anything')).toBeGreaterThanOrEqual(
            BROWSERS * 5,
          );
          for (const writer of writers) expect(writer.errors, failure(`page errors of ${writer.name}`)).toEqual([]);
          const deleted = log.words.filter((word) => word.deleted).length;
          console.log(
            `coedit seed ${seed}: ${BROWSERS} browsers x ${SECONDS} s, ${log.actions} actions, ${log.words.length} words typed (${deleted} deleted by their authors), all in place`,
          );
        } finally {
          await closeWriters(writers);
          await relay.close();
        }
      },
      (SECONDS * 3 + 120) * 1000,
    );
  }
});
