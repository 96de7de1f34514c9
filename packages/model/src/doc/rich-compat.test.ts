import { getSchema } from '@tiptap/core';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fragmentToRichNode, richNodeToFragment } from './rich.ts';

// The editor's schema: what Tiptap's Collaboration extension binds section bodies with.
const schema = getSchema([StarterKit, TableKit]);

const sample = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Rubrik' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Vi ' },
        { type: 'text', marks: [{ type: 'bold' }, { type: 'italic' }], text: 'åtar' },
        { type: 'text', text: ' oss att ' },
        { type: 'text', marks: [{ type: 'link', attrs: { href: 'https://malmo.se', target: '_blank' } }], text: 'läsa' },
        { type: 'hardBreak' },
        { type: 'text', marks: [{ type: 'strike' }], text: 'bort' },
      ],
    },
    {
      type: 'orderedList',
      attrs: { start: 1 },
      content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ett' }] }] }],
    },
    {
      type: 'table',
      content: [
        {
          type: 'tableRow',
          content: [
            { type: 'tableHeader', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Part' }] }] },
            { type: 'tableHeader', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Belopp' }] }] },
          ],
        },
        {
          type: 'tableRow',
          content: [
            { type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Kommunen' }] }] },
            { type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: '100 000 kr' }] }] },
          ],
        },
      ],
    },
  ],
};

describe('section bodies are compatible with Tiptap collaboration (y-tiptap)', () => {
  it('reads what y-tiptap writes', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('a');
    prosemirrorJSONToYXmlFragment(schema, sample, fragment);
    const ours = fragmentToRichNode(fragment);
    expect(schema.nodeFromJSON(ours).toJSON()).toEqual(yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON());
    expect(schema.nodeFromJSON(ours).toJSON()).toEqual(schema.nodeFromJSON(sample).toJSON());
  });

  it('writes what y-tiptap reads', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('b');
    richNodeToFragment(sample, fragment);
    expect(yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON()).toEqual(schema.nodeFromJSON(sample).toJSON());
  });
});
