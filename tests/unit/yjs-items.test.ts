/**
 * The contract of common/yjs-items.ts: walking a Yjs type's items through its `_start` and
 * `_map` still finds every item, with the ids Yjs gave them, on the installed Yjs.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { forEachItem, forEachString } from '../../common/yjs-items.js';

function strings(text: Y.XmlText | Y.Text): [string, number, number][] {
  const out: [string, number, number][] = [];
  forEachString(text, (str, client, clock) => out.push([str, client, clock]));
  return out;
}

describe('Yjs items', () => {
  it('gives the visible strings of a text in order, with the client and clock of their first character', () => {
    const alice = new Y.Doc();
    alice.clientID = 11;
    const bob = new Y.Doc();
    bob.clientID = 22;
    alice.getText('t').insert(0, 'hello world');
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    bob.getText('t').insert(5, ', dear');
    bob.getText('t').delete(0, 1);
    expect(bob.getText('t').toString()).toBe('ello, dear world');
    expect(strings(bob.getText('t'))).toEqual([
      ['ello', 11, 1],
      [', dear', 22, 0],
      [' world', 11, 5],
    ]);
  });

  it('reads an XmlText the same way, and skips embeds', () => {
    const doc = new Y.Doc();
    doc.clientID = 7;
    const text = new Y.XmlText();
    doc.getXmlFragment('default').push([text]);
    text.insert(0, 'ab');
    text.insertEmbed(2, { image: 'x' });
    text.insert(3, 'cd');
    expect(strings(text).map(([str]) => str)).toEqual(['ab', 'cd']);
    expect(strings(text).every(([, client]) => client === 7)).toBe(true);
  });

  it("visits every item a type holds, deleted ones too: a list's content and a map's entries", () => {
    const doc = new Y.Doc();
    const list = doc.getArray<number>('list');
    list.push([1, 2, 3]);
    list.delete(0, 1);
    const map = doc.getMap<string>('map');
    map.set('a', 'x');
    map.set('b', 'y');
    const listItems: Y.Item[] = [];
    forEachItem(list, (item) => listItems.push(item));
    expect(listItems.flatMap((item) => (item.deleted ? [] : item.content.getContent()))).toEqual([2, 3]);
    expect(listItems.some((item) => item.deleted)).toBe(true);
    const mapItems: Y.Item[] = [];
    forEachItem(map, (item) => mapItems.push(item));
    expect(mapItems.map((item) => [item.parentSub, item.content.getContent()[0]])).toEqual([
      ['a', 'x'],
      ['b', 'y'],
    ]);
  });
});
