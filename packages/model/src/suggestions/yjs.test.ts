import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fragmentToRichNode, richNodeToFragment } from '../doc/rich.ts';
import type { RichNode } from '../types.ts';
import { acceptAll, acceptSuggestion, rejectAll, rejectSuggestion, suggestionsInFragment } from './yjs.ts';

const A = 'sg_alice_lz0abc_abcdef';
const B = 'sg_bob_lz0abd_zzzzzz';
const t = (text: string, marks?: RichNode['marks']): RichNode => (marks ? { type: 'text', text, marks } : { type: 'text', text });
const body: RichNode = {
  type: 'doc',
  content: [
    { type: 'paragraph', content: [t('Hello '), t('big ', [{ type: 'insertion', attrs: { id: A } }]), t('old ', [{ type: 'deletion', attrs: { id: B } }]), t('world')] },
  ],
};

function docWith(node: RichNode): { doc: Y.Doc; frag: Y.XmlFragment } {
  const doc = new Y.Doc();
  const frag = doc.getXmlFragment('body');
  doc.transact(() => richNodeToFragment(node, frag));
  return { doc, frag };
}
const textOf = (frag: Y.XmlFragment): string => JSON.stringify(fragmentToRichNode(frag));
const para = (frag: Y.XmlFragment): RichNode[] => fragmentToRichNode(frag).content![0]!.content!;

describe('suggestions on Y.XmlFragment', () => {
  it('lists suggestions', () => {
    const { frag } = docWith(body);
    expect(suggestionsInFragment(frag).map((s) => [s.id, s.kind, s.text, s.authorUserId])).toEqual([
      [A, 'insertion', 'big ', 'alice'],
      [B, 'deletion', 'old ', 'bob'],
    ]);
  });
  it('accept insertion keeps the text, accept deletion removes it', () => {
    const { frag } = docWith(body);
    acceptSuggestion(frag, A);
    acceptSuggestion(frag, B);
    expect(para(frag)).toEqual([t('Hello big world')]);
  });
  it('reject insertion removes the text, reject deletion keeps it', () => {
    const { frag } = docWith(body);
    rejectSuggestion(frag, A);
    rejectSuggestion(frag, B);
    expect(para(frag)).toEqual([t('Hello old world')]);
  });
  it('acceptAll / rejectAll in one transaction with the given origin', () => {
    const { doc, frag } = docWith(body);
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    acceptAll(frag, 'review');
    expect(origins).toEqual(['review']);
    expect(para(frag)).toEqual([t('Hello big world')]);
    const other = docWith(body).frag;
    rejectAll(other);
    expect(para(other)).toEqual([t('Hello old world')]);
  });
  it('accepting an insertion drops its zero-width anchors', () => {
    const { frag } = docWith({ type: 'doc', content: [{ type: 'paragraph', content: [t('a'), t('\u200Bb', [{ type: 'insertion', attrs: { id: A } }])] }] });
    acceptSuggestion(frag, A);
    expect(para(frag)).toEqual([t('ab')]);
  });
  it('rejecting a mark modification restores the previous marks', () => {
    const { frag } = docWith({
      type: 'doc',
      content: [{ type: 'paragraph', content: [t('x', [{ type: 'bold' }, { type: 'modification', attrs: { id: A, type: 'mark', previousValue: null, newValue: { type: 'bold' } } }])] }],
    });
    rejectSuggestion(frag, A);
    expect(para(frag)).toEqual([t('x')]);
  });

  describe('concurrency', () => {
    const sync = (from: Y.Doc, to: Y.Doc): void => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
    for (const order of ['one-first', 'two-first'] as const) {
      it(`accept on one side while the other types and rejects converges (${order})`, () => {
        const one = docWith(body);
        const two = { doc: new Y.Doc() } as { doc: Y.Doc; frag: Y.XmlFragment };
        two.frag = two.doc.getXmlFragment('body');
        sync(one.doc, two.doc);
        const u1: Uint8Array[] = [];
        const u2: Uint8Array[] = [];
        one.doc.on('update', (u: Uint8Array) => u1.push(u));
        two.doc.on('update', (u: Uint8Array) => u2.push(u));
        acceptSuggestion(one.frag, A);
        // Concurrently: the other side types at the end and rejects the deletion.
        const txt = (two.frag.get(0) as Y.XmlElement).get(0) as Y.XmlText;
        txt.insert(txt.length, '!');
        rejectSuggestion(two.frag, B);
        if (order === 'one-first') {
          for (const u of u1) Y.applyUpdate(two.doc, u);
          for (const u of u2) Y.applyUpdate(one.doc, u);
        } else {
          for (const u of u2) Y.applyUpdate(one.doc, u);
          for (const u of u1) Y.applyUpdate(two.doc, u);
        }
        expect(textOf(one.frag)).toBe(textOf(two.frag));
        expect(para(one.frag)).toEqual([t('Hello big old world!')]);
      });
    }
    it('accept and reject of the same insertion concurrently converge', () => {
      const one = docWith(body);
      const two = { doc: new Y.Doc() } as { doc: Y.Doc; frag: Y.XmlFragment };
      two.frag = two.doc.getXmlFragment('body');
      sync(one.doc, two.doc);
      acceptSuggestion(one.frag, A);
      rejectSuggestion(two.frag, A);
      sync(one.doc, two.doc);
      sync(two.doc, one.doc);
      expect(textOf(one.frag)).toBe(textOf(two.frag));
      // The delete wins: text removed in either order.
      expect(para(one.frag).map((n) => n.text).join('')).not.toContain('big');
    });
  });
});
