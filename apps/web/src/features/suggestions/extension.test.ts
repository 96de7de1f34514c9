/**
 * The editor's suggestion rewriting without a browser: ProseMirror state with our schema (StarterKit
 * plus the suggestion marks), the library's transform, and the checks the server also runs.
 */
import { getSchema } from '@tiptap/core';
import { EditorState } from '@tiptap/pm/state';
import { StarterKit } from '@tiptap/starter-kit';
import { makeSuggestionId, parseSuggestionId } from '@overens/model';
import { describe, expect, it } from 'vitest';
import { asSuggestion, DeletionMark, InsertionMark, ModificationMark, onlySuggests, suggestionRanges } from './extension.ts';

const schema = getSchema([StarterKit.configure({ undoRedo: false, codeBlock: false }), InsertionMark, DeletionMark, ModificationMark]);
const ME = 'user-me';
const OTHER = 'user-other';
const otherId = makeSuggestionId(OTHER, new Date('2026-12-07T10:00:00Z'), () => 0.5);

function state(): EditorState {
  const p = schema.nodes.paragraph!.create(null, [
    schema.text('Hej '),
    schema.text('där', [schema.marks.insertion!.create({ id: otherId })]),
    schema.text(' värld'),
  ]);
  return EditorState.create({ schema, doc: schema.nodes.doc!.create(null, [p]) });
}

const authorOf = (id: string) => parseSuggestionId(id)?.userId;

describe('suggest mode in the editor', () => {
  it('marks a deletion instead of deleting, with an id that names the author', () => {
    const s = state();
    // " värld" starts after "Hej där" (1 + 7) in the paragraph.
    const tr = asSuggestion(s.tr.delete(9, 14), s, ME)!;
    expect(tr.doc.textContent).toBe('Hej där värld');
    const del = suggestionRanges(tr.doc).find((r) => r.kind === 'deletion');
    expect(del?.text).toBe('värld');
    expect(authorOf(del!.id)).toBe(ME);
    expect(onlySuggests(s.doc, tr.doc, ME)).toBe(true);
  });

  it('text typed right after someone else’s insertion becomes a suggestion of one’s own, not theirs', () => {
    const s = state();
    const tr = asSuggestion(s.tr.insertText('a', 8), s, ME)!;
    const ranges = suggestionRanges(tr.doc).filter((r) => r.kind === 'insertion');
    expect(ranges.map((r) => [r.text, authorOf(r.id)])).toEqual([
      ['där', OTHER],
      ['a', ME],
    ]);
    expect(onlySuggests(s.doc, tr.doc, ME)).toBe(true);
  });

  it('typing into an empty paragraph is a suggestion that leaves the standing text as it was', () => {
    const s = EditorState.create({ schema, doc: schema.nodes.doc!.create(null, [schema.nodes.paragraph!.create()]) });
    const tr = asSuggestion(s.tr.insertText('Barn', 1), s, ME)!;
    expect(suggestionRanges(tr.doc).map((r) => [r.kind, r.text])).toEqual([['insertion', 'Barn']]);
    expect(onlySuggests(s.doc, tr.doc, ME)).toBe(true);
  });

  it('typing on after one’s own insertion extends that suggestion', () => {
    const s0 = state();
    const s1 = s0.apply(asSuggestion(s0.tr.insertText('!', 14), s0, ME)!);
    const s2 = s1.apply(asSuggestion(s1.tr.insertText('?', 15), s1, ME)!);
    const mine = suggestionRanges(s2.doc).filter((r) => authorOf(r.id) === ME);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.text).toBe('!?');
  });

  it('bold in suggest mode is suggested as replacing the words with their bold copy (one id)', () => {
    const s = state();
    const tr = asSuggestion(s.tr.addMark(1, 4, schema.marks.bold!.create()), s, ME)!;
    const mine = suggestionRanges(tr.doc).filter((r) => authorOf(r.id) === ME);
    expect(mine.map((r) => [r.kind, r.text])).toEqual([
      ['deletion', 'Hej'],
      ['insertion', 'Hej'],
    ]);
    expect(new Set(mine.map((r) => r.id)).size).toBe(1);
    expect(onlySuggests(s.doc, tr.doc, ME)).toBe(true);
  });

  it('a structure change (splitting a paragraph) is not a text suggestion: the editor drops it, never edits directly', () => {
    const s = state();
    const tr = asSuggestion(s.tr.split(5), s, ME);
    // What the editor's dispatch decides: only a rewrite that leaves the standing text is sent.
    expect(tr !== null && onlySuggests(s.doc, tr.doc, ME)).toBe(false);
  });
});
