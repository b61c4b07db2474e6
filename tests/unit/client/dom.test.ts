import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byId, el, highlighted } from '../../../client/src/dom.js';

// The helpers read the page's globals, as in the browser: a linkedom page stands in for one.
const page = parseHTML('<!doctype html><html><body><main id="here"></main></body></html>');
const saved = { document: globalThis.document, location: globalThis.location };

beforeAll(() => {
  Object.assign(globalThis, { document: page.document, location: new URL('http://127.0.0.1/p/notes') });
});
afterAll(() => {
  Object.assign(globalThis, saved);
});

describe('el', () => {
  it('sets class, text and attributes, and appends children in order without nulls', () => {
    const child = el('em', { text: 'b' });
    const node = el('p', { className: 'note muted', text: 'a', attrs: { 'data-testid': 'x', title: 'T' } }, child, null, 'c');
    expect(node.tagName).toBe('P');
    expect(node.className).toBe('note muted');
    expect(node.getAttribute('data-testid')).toBe('x');
    expect(node.getAttribute('title')).toBe('T');
    expect(node.textContent).toBe('abc');
    expect(node.childNodes[1]).toBe(child);
  });

  it('puts markup-looking text in as text', () => {
    const node = el('div', { text: '<img src=x onerror=alert(1)>' });
    expect(node.children).toHaveLength(0);
    expect(node.textContent).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('byId', () => {
  it('finds the element', () => {
    expect(byId('here').tagName).toBe('MAIN');
  });

  it('throws an error that names the page and the missing id', () => {
    expect(() => byId('gone')).toThrow('the page /p/notes is missing #gone');
  });
});

describe('highlighted', () => {
  it('wraps the ranges in <mark> and skips ranges that overlap or fall outside', () => {
    const host = el(
      'p',
      {},
      highlighted('one two three', [
        [8, 13],
        [0, 3],
        [2, 5],
        [10, 99],
      ]),
    );
    expect([...host.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['one', 'three']);
    expect(host.textContent).toBe('one two three');
  });
});
