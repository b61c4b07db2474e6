/**
 * Seeded random co-editing: several people, each in their own Chromium, doing what note-takers
 * do (move the caret to another line, type words, Enter and a pause on the new line, Backspace
 * over what they just typed, bold a word, make a line a list item) at once on one pad. Every word is unique (`<name><n>`),
 * so afterwards each one can be checked: there exactly once and unbroken if its author did
 * not delete it, gone if they did.
 *
 * Where a caret goes: the end of a random line that holds text and that no one else's caret
 * is on; a list toggle happens only where no one else is on that line or next to it. (The
 * promise is for what others do elsewhere; two people changing one block's structure at once
 * is the binding's known limit, see docs/architecture.md.)
 */
import * as prng from 'lib0/prng';
import type { Page } from 'playwright-core';
import type { Writer } from './coediting.js';

export interface RandomRunOptions {
  seed: number;
  durationMs: number;
  /** Characters a second while typing a word. */
  typingPerSecond: number;
  /** Words each person types at least (the run goes on past `durationMs` for them, up to 3x). */
  minWordsEach: number;
}

export interface WordRecord {
  word: string;
  author: string;
  /** Words typed one after another with the caret left alone (no move, Enter or list toggle). */
  burst: string;
  deleted: boolean;
  bold: boolean;
}

export interface RandomRunLog {
  words: WordRecord[];
  actions: number;
  /** What each person did, in order (`Ada: type ada3`), for the failure message. */
  trace: string[];
  /** Times a caret was found in another paragraph than its owner left it in. */
  jumps: string[];
}

type EditorDom = HTMLElement & {
  editor?: {
    state: {
      doc: { forEach(fn: (node: { textContent: string }) => void): void };
      selection: { $head: { index(depth: number): number; depth: number; parent: unknown } };
    };
  };
};

/** Text of each top-level block, and which one the caret is in. */
interface Layout {
  blocks: string[];
  caretIndex: number;
  caretBlock: string;
  /**
   * The Yjs id (`client:clock`) of the paragraph the caret is in, read from the binding's
   * Y <-> ProseMirror mapping: the same on every screen, whatever moves around it.
   */
  caretParagraph: string | null;
}

function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const dom = document.querySelector('.pad-content') as EditorDom | null;
    if (!dom?.editor) throw new Error('no editor on the page');
    const blocks: string[] = [];
    dom.editor.state.doc.forEach((node) => blocks.push(node.textContent));
    const { $head } = dom.editor.state.selection;
    const caretIndex = $head.depth >= 1 ? $head.index(0) : -1;
    type YType = { _item: { id: { client: number; clock: number } } | null };
    const sync = (dom.editor.state as unknown as Record<string, { binding?: { mapping: Map<YType, unknown> } }>)['y-sync$'];
    if (!sync?.binding) throw new Error('the editor has no y-sync binding (did @tiptap/y-tiptap change?)');
    let caretParagraph: string | null = null;
    for (const [type, node] of sync.binding.mapping) {
      if (node === $head.parent && type._item) caretParagraph = `${type._item.id.client}:${type._item.id.clock}`;
    }
    return { blocks, caretIndex, caretBlock: caretIndex >= 0 ? blocks[caretIndex] : '', caretParagraph };
  });
}

/**
 * Where the editor's document and the Y.Doc it is bound to hold different text, or null.
 * Between tasks the binding keeps them equal; a difference means an edit that one side will
 * overwrite on the other (how words get lost).
 */
function bindingDrift(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    type YNode = { toArray?(): YNode[]; toDelta?(): { insert: unknown }[]; nodeName?: string };
    type PmNode = { isTextblock: boolean; textContent: string; descendants(fn: (node: PmNode) => boolean | void): void };
    const dom = document.querySelector('.pad-content') as
      | (HTMLElement & { editor?: { state: Record<string, unknown> & { doc: PmNode } } })
      | null;
    if (!dom?.editor) throw new Error('no editor on the page');
    const sync = dom.editor.state['y-sync$'] as { binding?: { type: YNode } } | undefined;
    if (!sync?.binding) throw new Error('the editor has no y-sync binding');
    const fromYjs: string[] = [];
    const walk = (node: YNode): void => {
      const children = node.toArray?.() ?? [];
      const texts = children.filter((child) => typeof child.toDelta === 'function' && child.nodeName === undefined);
      if (texts.length > 0 || (children.length === 0 && node.nodeName !== undefined)) {
        fromYjs.push(
          texts.map((text) => (text.toDelta?.() ?? []).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')).join(''),
        );
      }
      for (const child of children) if (child.nodeName !== undefined) walk(child);
    };
    for (const top of sync.binding.type.toArray?.() ?? []) walk(top);
    const fromEditor: string[] = [];
    dom.editor.state.doc.descendants((node) => {
      if (node.isTextblock) {
        fromEditor.push(node.textContent);
        return false;
      }
      return true;
    });
    // What the page shows (other people's carets left out): text typed where ProseMirror does
    // not read it would be here only.
    const fromPage: string[] = [];
    for (const block of dom.querySelectorAll('p, h1, h2, h3, h4, h5, h6, pre')) {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      let text = '';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement?.closest('.ProseMirror-widget')) text += node.nodeValue ?? '';
      }
      fromPage.push(text.replace(/\u2060/g, ''));
    }
    const a = fromEditor.filter((text) => text !== '').join(' | ');
    const b = fromYjs.filter((text) => text !== '').join(' | ');
    const c = fromPage.filter((text) => text !== '').join(' | ');
    if (a !== c) return `page "${c}" / editor "${a}"`;
    return a === b ? null : `editor "${a}" / Y.Doc "${b}"`;
  });
}

/**
 * Whether `mine.blocks[index]` is the block `other`'s caret is in (as far as the texts tell:
 * words are unique; an empty line is told by its neighbours).
 */
function isCaretBlockOf(other: Layout, mine: Layout, index: number): boolean {
  const text = mine.blocks[index];
  if (text === undefined || other.caretIndex < 0) return false;
  const theirs = tokens(other.caretBlock);
  if (theirs.length > 0) return tokens(text).some((token) => theirs.includes(token));
  return (
    tokens(text).length === 0 &&
    mine.blocks[index - 1] === other.blocks[other.caretIndex - 1] &&
    mine.blocks[index + 1] === other.blocks[other.caretIndex + 1]
  );
}

/** Resolves after Chromium has delivered pending input and selection events to the page. */
function settled(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

const tokens = (text: string): string[] => text.split(/\s+/).filter((token) => token !== '');

/** One lock for caret moves, so two people never pick the same line at the same moment. */
class Lock {
  private tail = Promise.resolve();
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release = () => {};
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export async function runRandomWriters(writers: readonly Writer[], options: RandomRunOptions): Promise<RandomRunLog> {
  const log: RandomRunLog = { words: [], actions: 0, trace: [], jumps: [] };
  const lock = new Lock();
  const start = Date.now();
  // On a busy machine a person gets less done in the time: go on until each has typed enough
  // words to mean something, up to three times as long.
  const goOn = (typed: number) =>
    Date.now() - start < options.durationMs || (typed < options.minWordsEach && Date.now() - start < options.durationMs * 3);
  const delay = Math.round(1000 / options.typingPerSecond);

  async function moveCaret(writer: Writer, gen: prng.PRNG): Promise<boolean> {
    return lock.run(async () => {
      const others = await Promise.all(writers.filter((w) => w !== writer).map((w) => layout(w.page)));
      const mine = await layout(writer.page);
      // Only lines every screen already shows alike: whoever left a line may have keystrokes
      // on the way.
      const everywhere = (text: string) => others.every((other) => other.blocks.includes(text));
      const candidates = mine.blocks
        .map((text, index) => ({ text, index }))
        .filter(
          ({ text, index }) => tokens(text).length > 0 && everywhere(text) && !others.some((other) => isCaretBlockOf(other, mine, index)),
        );
      if (candidates.length === 0) return false;
      const target = prng.oneOf(gen, candidates);
      const box = await writer.page.locator('.pad-content > *').nth(target.index).boundingBox();
      if (!box) return false;
      await writer.page.mouse.click(box.x + box.width - 3, box.y + box.height - 6);
      await writer.page.keyboard.press('End');
      await settled(writer.page);
      // Lines may have moved under the pointer: only the intended line counts, else try again.
      // A click that landed outside the editor (on the chat beside it) leaves the old selection
      // on the page but the focus on the body, where typing goes nowhere.
      const focused = await writer.page.evaluate(() => document.activeElement?.closest('.pad-content') != null);
      return focused && (await layout(writer.page)).caretBlock === target.text;
    });
  }

  /**
   * Makes the caret's line a list item (or back): only when no one else is on it or on a line
   * next to it, since a toggle can join the neighbouring list, and the binding writes any such
   * change as "delete the block, insert a new one" (keystrokes made in it meanwhile are lost).
   */
  async function toggleList(writer: Writer): Promise<boolean> {
    return lock.run(async () => {
      const others = await Promise.all(writers.filter((w) => w !== writer).map((w) => layout(w.page)));
      const mine = await layout(writer.page);
      const near = [mine.caretIndex - 1, mine.caretIndex, mine.caretIndex + 1];
      if (mine.caretIndex < 0 || near.some((index) => others.some((other) => isCaretBlockOf(other, mine, index)))) return false;
      await writer.page.keyboard.press('Control+Shift+8');
      await settled(writer.page);
      return true;
    });
  }

  async function person(writer: Writer, index: number): Promise<void> {
    const gen = prng.create(options.seed * 31 + index);
    const name = writer.name.toLowerCase();
    let count = 0;
    let bursts = 0;
    let placed = false;
    /** The word typed last, while the caret is still right after it. */
    let justTyped: WordRecord | null = null;
    /** The paragraph this person's caret was left in (Yjs id). */
    let paragraph: string | null = null;
    const noteParagraph = async () => {
      paragraph = (await layout(writer.page)).caretParagraph;
    };
    const checkParagraph = async (before: string) => {
      const drift = await bindingDrift(writer.page);
      if (drift) {
        log.jumps.push(`${writer.name}'s editor and Y.Doc disagree (before ${before}): ${drift}`);
        log.trace.push(`${writer.name}: editor and Y.Doc disagree: ${drift}`);
      }
      const now = (await layout(writer.page)).caretParagraph;
      if (paragraph !== null && now !== paragraph) {
        log.jumps.push(`${writer.name}'s caret moved from paragraph ${paragraph} to ${now} by itself (before ${before})`);
        log.trace.push(`${writer.name}: caret found in another paragraph`);
      }
      paragraph = now;
    };
    while (goOn(count)) {
      log.actions++;
      if (!placed) {
        placed = await moveCaret(writer, gen);
        await noteParagraph();
        log.trace.push(
          `${writer.name}: caret to "${(await layout(writer.page)).caretBlock}"${placed ? '' : ' (missed the line, tries again)'}`,
        );
        justTyped = null;
        bursts++;
        continue;
      }
      const roll = prng.int32(gen, 0, 99);
      if (roll < 10) {
        placed = false;
      } else if (roll < 55) {
        const record: WordRecord = {
          word: `${name}${++count}`,
          author: writer.name,
          burst: `${name}/${bursts}`,
          deleted: false,
          bold: false,
        };
        const bold = prng.int32(gen, 0, 5) === 0;
        await checkParagraph(`typing ${record.word}`);
        // A space first: the caret may follow someone else's word.
        await writer.page.keyboard.type(' ', { delay });
        if (bold) await writer.page.keyboard.press('Control+b');
        await writer.page.keyboard.type(record.word, { delay });
        if (bold) await writer.page.keyboard.press('Control+b');
        await writer.page.keyboard.type(' ', { delay });
        record.bold = bold;
        log.words.push(record);
        const landed = await writer.page.evaluate((word) => {
          const dom = document.querySelector('.pad-content') as
            | (HTMLElement & { editor?: { state: { doc: { textContent: string } } } })
            | null;
          const active = document.activeElement;
          const where = active
            ? `${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''}.${[...active.classList].join('.')}`
            : 'nothing';
          return dom?.editor?.state.doc.textContent.includes(word)
            ? null
            : `focus on ${where}, page text has it: ${dom?.textContent?.includes(word)}`;
        }, record.word);
        if (landed) log.jumps.push(`${writer.name}'s "${record.word}" is not in the editor right after typing (${landed})`);
        log.trace.push(`${writer.name}: type ${record.word}${bold ? ' (bold)' : ''}${landed ? ` NOT IN THE EDITOR: ${landed}` : ''}`);
        justTyped = record;
      } else if (roll < 75) {
        await checkParagraph('Enter');
        await writer.page.keyboard.press('Enter');
        await noteParagraph();
        log.trace.push(`${writer.name}: Enter`);
        justTyped = null;
        bursts++;
        // A new line, then a moment to think: people sit on empty lines while others add theirs.
        await new Promise((resolve) => setTimeout(resolve, prng.int32(gen, 200, 1500)));
      } else if (roll < 85) {
        if (justTyped) {
          await checkParagraph(`deleting ${justTyped.word}`);
          for (let i = 0; i <= justTyped.word.length; i++) await writer.page.keyboard.press('Backspace', { delay });
          justTyped.deleted = true;
          log.trace.push(`${writer.name}: delete ${justTyped.word}`);
          justTyped = null;
        }
      } else if (roll < 90) {
        await checkParagraph('a list toggle');
        if (await toggleList(writer)) {
          await noteParagraph();
          log.trace.push(`${writer.name}: toggle list on "${(await layout(writer.page)).caretBlock}"`);
          justTyped = null;
          bursts++;
        }
      } else {
        // A pause to read what others wrote.
        await new Promise((resolve) => setTimeout(resolve, prng.int32(gen, 100, 600)));
      }
    }
    await settled(writer.page);
    await checkParagraph('the end of the run');
  }

  await Promise.all(writers.map((writer, index) => person(writer, index)));
  return log;
}

/** What is wrong with `text` (the converged pad) given what was typed; empty when nothing is. */
export function checkWords(text: string, log: RandomRunLog, seedWords: readonly string[]): string[] {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const token of tokens(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
  const known = new Set([...seedWords, ...log.words.map((record) => record.word)]);
  for (const record of log.words) {
    const count = counts.get(record.word) ?? 0;
    if (!record.deleted && count !== 1) problems.push(`"${record.word}" (${record.author}) appears ${count} times, expected once`);
    if (record.deleted && count !== 0)
      problems.push(`"${record.word}" (${record.author}) was deleted by its author but appears ${count} times`);
  }
  for (const word of seedWords)
    if ((counts.get(word) ?? 0) !== 1) problems.push(`seed word "${word}" appears ${counts.get(word) ?? 0} times`);
  for (const token of counts.keys())
    if (!known.has(token)) problems.push(`"${token}" is not a word anyone typed (a word split or glued to another)`);
  problems.push(...log.jumps, ...checkBursts(text, log));
  return problems;
}

/** Each burst's words sit together, in the order typed, on one line. */
function checkBursts(text: string, log: RandomRunLog): string[] {
  const where = new Map<string, { line: number; at: number }>();
  text.split('\n').forEach((line, lineIndex) => tokens(line).forEach((token, at) => where.set(token, { line: lineIndex, at })));
  const bursts = new Map<string, WordRecord[]>();
  for (const record of log.words) {
    if (record.deleted || !where.has(record.word)) continue;
    bursts.set(record.burst, [...(bursts.get(record.burst) ?? []), record]);
  }
  const problems: string[] = [];
  for (const [burst, words] of bursts) {
    for (let i = 1; i < words.length; i++) {
      const before = where.get(words[i - 1].word);
      const after = where.get(words[i].word);
      if (!before || !after || after.line !== before.line || after.at !== before.at + 1) {
        problems.push(
          `${burst}: "${words[i].word}" does not follow "${words[i - 1].word}" on its line (typed one after the other, caret untouched)`,
        );
      }
    }
  }
  return problems;
}
