/** Who may write under a Yjs client id (server/sync/client-ids.ts): the rules, one by one. */
import { describe, expect, it } from 'vitest';
import { ClientIds } from '../../server/sync/client-ids.js';

const alice = 'a.aliceAliceAliceAlice1';
const mallory = 'a.malloryMalloryMallor';
const script = 'anon.script-one';
const other = 'anon.script-two';

describe('ClientIds', () => {
  it('gives an unowned id to its first writer, and keeps it from other cookie holders', () => {
    const ids = new ClientIds(new Map());
    expect(ids.verdict(1, alice)).toBe('claim');
    ids.claim(1, alice);
    expect(ids.verdict(1, alice)).toBe('ok');
    expect(ids.verdict(1, mallory)).toBe('taken');
    expect(ids.verdict(1, script)).toBe('taken');
  });

  it('binds an id published in awareness before any write', () => {
    const ids = new ClientIds(new Map());
    ids.announce(2, alice);
    expect(ids.verdict(2, mallory)).toBe('taken');
    expect(ids.verdict(2, script)).toBe('taken');
    expect(ids.verdict(2, alice)).toBe('claim');
    // A later announcement by someone else changes nothing.
    ids.announce(2, mallory);
    expect(ids.verdict(2, mallory)).toBe('taken');
  });

  it("opens anonymous authors' ids to every writer, and their announced ids to anonymous ones", () => {
    const ids = new ClientIds(new Map([[3, script]]));
    expect(ids.verdict(3, other)).toBe('ok');
    expect(ids.verdict(3, alice)).toBe('ok');
    ids.announce(4, script);
    expect(ids.verdict(4, other)).toBe('claim');
    expect(ids.verdict(4, mallory)).toBe('taken');
  });

  it('learns bindings committed elsewhere without overriding its own', () => {
    const ids = new ClientIds(new Map([[5, alice]]));
    ids.announce(6, alice);
    ids.learn(
      new Map([
        [5, mallory],
        [6, mallory],
        [7, mallory],
      ]),
    );
    expect(ids.verdict(5, alice)).toBe('ok');
    expect(ids.verdict(6, mallory)).toBe('ok');
    expect(ids.verdict(7, alice)).toBe('taken');
  });
});
