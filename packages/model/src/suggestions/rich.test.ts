import { describe, expect, it } from 'vitest';
import type { RichNode } from '../types.ts';
import { acceptedView, baseView, hasOpenSuggestions, listSuggestions } from './rich.ts';

const t = (text: string, marks?: RichNode['marks']): RichNode => (marks ? { type: 'text', text, marks } : { type: 'text', text });
const id1 = 'sg_alice_lz0abc_abcdef';
const id2 = 'sg_bob_lz0abd_zzzzzz';
const body: RichNode = {
  type: 'doc',
  content: [
    { type: 'paragraph', content: [t('Hello '), t('big ', [{ type: 'insertion', attrs: { id: id1 } }]), t('old ', [{ type: 'deletion', attrs: { id: id2 } }]), t('world', [{ type: 'bold' }])] },
    { type: 'paragraph', content: [t('\u200Bmore', [{ type: 'insertion', attrs: { id: id1 } }])] },
  ],
};

describe('suggestions over RichNode', () => {
  it('lists suggestions merged per id in document order', () => {
    expect(listSuggestions(body)).toEqual([
      { id: id1, kind: 'insertion', text: 'big more', authorUserId: 'alice', at: new Date(parseInt('lz0abc', 36)) },
      { id: id2, kind: 'deletion', text: 'old ', authorUserId: 'bob', at: new Date(parseInt('lz0abd', 36)) },
    ]);
  });
  it('baseView drops insertions and unmarks deletions', () => {
    expect(baseView(body)).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [t('Hello old '), t('world', [{ type: 'bold' }])] },
        // Emptied: stored like an empty paragraph (no content), so typing a suggestion into an empty
        // paragraph leaves the standing text equal.
        { type: 'paragraph' },
      ],
    });
  });
  it('acceptedView keeps insertions and drops deleted text and zero-width anchors', () => {
    expect(acceptedView(body)).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [t('Hello big '), t('world', [{ type: 'bold' }])] },
        { type: 'paragraph', content: [t('more')] },
      ],
    });
  });
  it('hasOpenSuggestions', () => {
    expect(hasOpenSuggestions(body)).toBe(true);
    expect(hasOpenSuggestions(baseView(body))).toBe(false);
  });
});
