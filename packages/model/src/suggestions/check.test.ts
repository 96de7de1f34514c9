import { describe, expect, it } from 'vitest';
import type { RichNode } from '../types.ts';
import { changesOnlySuggestions } from './check.ts';

const doc = (...content: RichNode[]): RichNode => ({ type: 'doc', content: [{ type: 'paragraph', content }] });
const t = (text: string, marks?: RichNode['marks']): RichNode => (marks ? { type: 'text', text, marks } : { type: 'text', text });
const ins = (id: string) => [{ type: 'insertion', attrs: { id } }];
const del = (id: string) => [{ type: 'deletion', attrs: { id } }];
const mine = 'sg_alice_lz0abc_abcdef';
const bobs = 'sg_bob_lz0abc_abcdef';
const before = doc(t('Hello world'));

describe('changesOnlySuggestions', () => {
  it('refuses a direct edit', () => {
    expect(changesOnlySuggestions(before, doc(t('Hello there')), 'alice')).toEqual({ ok: false, reason: 'text_changed' });
  });
  it('allows an insertion by the user', () => {
    expect(changesOnlySuggestions(before, doc(t('Hello '), t('big ', ins(mine)), t('world')), 'alice')).toEqual({ ok: true });
  });
  it('allows a deletion mark by the user', () => {
    expect(changesOnlySuggestions(before, doc(t('Hello '), t('world', del(mine))), 'alice')).toEqual({ ok: true });
  });
  it('refuses a forged id of someone else', () => {
    expect(changesOnlySuggestions(before, doc(t('Hello '), t('big ', ins(bobs)), t('world')), 'alice')).toEqual({
      ok: false,
      reason: 'foreign_suggestion',
    });
  });
  it('allows removing an own insertion', () => {
    expect(changesOnlySuggestions(doc(t('Hello '), t('big ', ins(mine)), t('world')), before, 'alice')).toEqual({ ok: true });
  });
  it('keeps suggestions that already existed from others', () => {
    const withBob = doc(t('Hello '), t('big ', ins(bobs)), t('world'));
    expect(changesOnlySuggestions(withBob, withBob, 'alice')).toEqual({ ok: true });
  });
  it("refuses adding text to someone else's suggestion, allows shrinking it", () => {
    const withBob = doc(t('Hello '), t('big ', ins(bobs)), t('world'));
    expect(changesOnlySuggestions(withBob, doc(t('Hello '), t('big bad ', ins(bobs)), t('world')), 'alice')).toEqual({ ok: false, reason: 'foreign_suggestion' });
    expect(changesOnlySuggestions(withBob, doc(t('Hello '), t('bi', ins(bobs)), t('world')), 'alice')).toEqual({ ok: true });
    // Turning Bob's insertion into a deletion under his id is a new suggestion of his: refused.
    expect(changesOnlySuggestions(withBob, doc(t('Hello '), t('big ', ins(bobs)), t('world', del(bobs))), 'alice')).toEqual({ ok: false, reason: 'foreign_suggestion' });
  });
});
