/** authorRuns: each client's text found at the right ProseMirror positions, or null when the documents differ. */
import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { authorRuns } from '../../../client/src/authorship/author-runs.js';
import { padExtensions } from '../../../common/extensions.js';

const schema = getSchema(padExtensions());

function docWithClient(clientID: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('authorRuns', () => {
  it("places each client's text, across marks, headings, lists, tables and hard breaks", () => {
    const ada = docWithClient(1);
    prosemirrorJSONToYXmlFragment(
      schema,
      {
        type: 'doc',
        content: [
          { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Nova' }] },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'Hello ' },
              { type: 'text', text: 'bold', marks: [{ type: 'bold' }] },
              { type: 'hardBreak' },
              { type: 'text', text: 'next' },
            ],
          },
          {
            type: 'bulletList',
            content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'item' }] }] }],
          },
          {
            type: 'table',
            content: [
              {
                type: 'tableRow',
                content: [{ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'cell' }] }] }],
              },
            ],
          },
        ],
      },
      ada.getXmlFragment('default'),
    );
    const grace = docWithClient(2);
    sync(ada, grace);
    // Grace types inside Ada's paragraph, after "Hello ".
    const paragraph = grace.getXmlFragment('default').get(1) as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).insert(6, 'dear ');
    sync(ada, grace);

    const fragment = ada.getXmlFragment('default');
    const doc = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    const runs = authorRuns(fragment, doc);
    expect(runs).not.toBeNull();
    const texts = runs!.map((run) => [run.client, doc.textBetween(run.from, run.to)]);
    expect(texts).toEqual([
      [1, 'Nova'],
      [1, 'Hello '],
      [2, 'dear '],
      [1, 'bold'],
      [1, 'next'],
      [1, 'item'],
      [1, 'cell'],
    ]);
  });

  it('merges adjacent runs of one client and skips deleted text', () => {
    const ada = docWithClient(7);
    const fragment = ada.getXmlFragment('default');
    prosemirrorJSONToYXmlFragment(
      schema,
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'abc' }] }] },
      fragment,
    );
    const text = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(3, 'def');
    text.delete(1, 1);
    const doc = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    expect(authorRuns(fragment, doc)).toEqual([{ from: 1, to: 6, client: 7 }]);
  });

  it("answers null when the editor document is not the fragment's", () => {
    const ada = docWithClient(1);
    const fragment = ada.getXmlFragment('default');
    prosemirrorJSONToYXmlFragment(
      schema,
      { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'abc' }] }] },
      fragment,
    );
    const longer = schema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'abcd' }] }] });
    const more = schema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph' }, { type: 'paragraph' }] });
    const other = schema.nodeFromJSON({
      type: 'doc',
      content: [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'abc' }] }],
    });
    expect(authorRuns(fragment, longer)).toBeNull();
    expect(authorRuns(fragment, more)).toBeNull();
    expect(authorRuns(fragment, other)).toBeNull();
  });
});
