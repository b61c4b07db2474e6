/** The markers PTG notes use: every documented form, every owner form, and lines that must not match. */
import { describe, expect, it } from 'vitest';
import { actionOwners, lineMarker } from '../../common/markdown/recap-markers.js';

/** The marker's kind, owners and the item's text (the line without marker and owner markers). */
function read(line: string) {
  const m = lineMarker(line);
  if (!m) return null;
  return { kind: m.kind, owners: m.owners, text: line.slice(m.prefixLength, line.length - m.suffixLength).trim() };
}

describe('markers', () => {
  it.each([
    ['ACTION(gibi): write the spec', 'action', ['gibi'], 'write the spec'],
    ['action(gibi) : write the spec', 'action', ['gibi'], 'write the spec'],
    ['ACTION ITEM(melwitt): review', 'action', ['melwitt'], 'review'],
    ['ACTION(gibi, bauzas): pair on it', 'action', ['gibi', 'bauzas'], 'pair on it'],
    ['ACTION(gibi/bauzas): pair on it', 'action', ['gibi', 'bauzas'], 'pair on it'],
    ['ACTION(gibi and bauzas): pair on it', 'action', ['gibi', 'bauzas'], 'pair on it'],
    ['ACTION: write the spec', 'action', [], 'write the spec'],
    ['Action: gibi: write the spec', 'action', ['gibi'], 'write the spec'],
    ['ACTION: write the spec @gibi', 'action', ['gibi'], 'write the spec @gibi'],
    ['#action gibi write the spec', 'action', ['gibi'], 'write the spec'],
    ['#action gibi: write the spec', 'action', ['gibi'], 'write the spec'],
    ['#ACTION @gibi write the spec', 'action', ['gibi'], 'write the spec'],
    ['#action the team writes the spec', 'action', [], 'the team writes the spec'],
    ['TODO(bauzas): release notes', 'action', ['bauzas'], 'release notes'],
    ['todo: release notes (bauzas)', 'action', ['bauzas'], 'release notes'],
    ['AI(sean-k-mooney): update the docs', 'action', ['sean-k-mooney'], 'update the docs'],
    ['[ ] update the docs', 'action', [], 'update the docs'],
    ['- [ ] update the docs', 'action', [], 'update the docs'],
    ['* [ ] JayF: update the docs', 'action', ['JayF'], 'update the docs'],
    ['- [ ] ACTION(gibi): a marker inside a task', 'action', ['gibi'], 'a marker inside a task'],
    ['[x] booked the room', 'done', [], 'booked the room'],
    ['- [X] booked the room', 'done', [], 'booked the room'],
    ['AGREED: one review day a week', 'decision', [], 'one review day a week'],
    ['agreed : one review day a week', 'decision', [], 'one review day a week'],
    ['#agreed one review day a week', 'decision', [], 'one review day a week'],
    ['DECISION: keep the microversion', 'decision', [], 'keep the microversion'],
    ['Decided: keep the microversion', 'decision', [], 'keep the microversion'],
    ['#info the gate is green again', 'info', [], 'the gate is green again'],
    ['#link https://review.opendev.org/c/123', 'link', [], 'https://review.opendev.org/c/123'],
    ['QUESTION: do we still need LVM?', 'question', [], 'do we still need LVM?'],
    ['- ACTION(gibi): after a bullet typed as text', 'action', ['gibi'], 'after a bullet typed as text'],
    ['• AGREED: after a bullet character', 'decision', [], 'after a bullet character'],
    ['3. #agreed after a number', 'decision', [], 'after a number'],
    ['  2) TODO: after a number and spaces', 'action', [], 'after a number and spaces'],
  ] as const)('%s', (line, kind, owners, text) => {
    expect(read(line)).toEqual({ kind, owners, text });
  });

  it.each([
    'Actionable feedback from the survey',
    'The ACTION(gibi): marker counts only at the start of a line',
    'action items from last time were reviewed',
    'TODO list review',
    'TODO(bauzas) without a colon',
    'AI: large language models were discussed',
    'AI(): nobody',
    '#actionable items',
    '#agreedly',
    '#information desk',
    '#linkage',
    'AGREED to disagree',
    'We AGREED: mid-line does not count',
    'DECISIONS: were postponed',
    'QUESTIONS: none',
    'ACTION:',
    'AGREED:   ',
    '[ ]',
    '[x]',
    '[y] not a box',
    '[ ]no space after the box',
    '- a plain bullet',
    'Just a sentence.',
  ])('no marker: %s', (line) => {
    expect(lineMarker(line)).toBeNull();
  });
});

describe('owners of an action item', () => {
  const owners = (text: string) => {
    const m = actionOwners(text);
    return { owners: m.owners, text: text.slice(m.prefixLength, text.length - m.suffixLength) };
  };

  it.each([
    ['(nick) at the start', '(carol) release notes', ['carol'], 'release notes'],
    ['(nick) at the end', 'release notes (carol)', ['carol'], 'release notes'],
    ['(nick) at the end before a full stop', 'release notes (carol).', ['carol'], 'release notes'],
    ['(nick, nick) at the end', 'release notes (carol, dan)', ['carol', 'dan'], 'release notes'],
    ['@nick anywhere stays in the text', 'ask @alice about quotas', ['alice'], 'ask @alice about quotas'],
    ['@nick at the end stays in the text', 'write the spec @alice', ['alice'], 'write the spec @alice'],
    ['several @nicks', 'follow-up for @dave and @erin', ['dave', 'erin'], 'follow-up for @dave and @erin'],
    ['@nick after a dash at the end', 'write the spec — @alice', ['alice'], 'write the spec'],
    ['@nicks after a dash at the end', 'write the spec - @alice, @bob', ['alice', 'bob'], 'write the spec'],
    ['a leading nick:', 'alice: write the spec', ['alice'], 'write the spec'],
    ['a leading @nick:', '@alice: write the spec', ['alice'], 'write the spec'],
    ['a nick with dots, dashes and digits', 'sean-k-mooney: review', ['sean-k-mooney'], 'review'],
    ['the same owner twice', 'alice: ping @Alice', ['alice'], 'ping @Alice'],
  ])('%s', (_name, text, expected, rest) => {
    expect(owners(text)).toEqual({ owners: expected, text: rest });
  });

  it.each([
    ['a label is not an owner', 'Note: write the spec'],
    ['a URL is not an owner', 'https://example.org: read it'],
    ['an e-mail address is not an owner', 'mail a@example.org about it'],
    ['a parenthesised note is not an owner', '(optional) write the spec'],
    ['words in parentheses are not owners', 'write the spec (see below)'],
    ['a colon without text after it', 'alice:'],
  ])('%s', (_name, text) => {
    expect(actionOwners(text).owners).toEqual([]);
  });
});
