import { getSchema } from '@tiptap/core';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYXmlFragment, updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EDITOR_MARK_DEFAULTS, EDITOR_NODE_DEFAULTS, fragmentToRichNode, richNodeToFragment } from './rich.ts';

// The editor's schema: what Tiptap's Collaboration extension binds section bodies with.
const schema = getSchema([
  StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] }, codeBlock: false, link: { openOnClick: false } }),
  TableKit.configure({ table: { resizable: false } }),
]);

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

  it('writes bodies that a first editor view leaves untouched (defaults filled in)', () => {
    const minimal = {
      type: 'doc',
      content: [
        { type: 'heading', content: [{ type: 'text', text: 'Rubrik' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'länk', marks: [{ type: 'link', attrs: { href: 'https://malmo.se' } }] }] },
        { type: 'orderedList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ett' }] }] }] },
        sample.content[3]!,
      ],
    };
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('c');
    richNodeToFragment(minimal, fragment);
    const pmDoc = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    let changed = false;
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.changed.size > 0) changed = true;
    });
    updateYFragment(doc, fragment, pmDoc, { mapping: new Map(), isOMark: new Map() });
    expect(changed).toBe(false);
  });

  it('the defaults table matches the editor schema', () => {
    const nonNull = (attrs: Record<string, { hasDefault: boolean; default: unknown }>) =>
      Object.fromEntries(Object.entries(attrs).filter(([, a]) => a.hasDefault && a.default !== null).map(([k, a]) => [k, a.default]));
    for (const [name, type] of Object.entries(schema.nodes)) {
      const d = nonNull((type as unknown as { attrs: Record<string, { hasDefault: boolean; default: unknown }> }).attrs);
      expect(EDITOR_NODE_DEFAULTS[name] ?? {}, name).toEqual(d);
    }
    for (const [name, type] of Object.entries(schema.marks)) {
      const d = nonNull((type as unknown as { attrs: Record<string, { hasDefault: boolean; default: unknown }> }).attrs);
      expect(EDITOR_MARK_DEFAULTS[name] ?? {}, name).toEqual(d);
    }
  });
});
