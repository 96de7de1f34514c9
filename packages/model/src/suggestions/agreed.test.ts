/** Agreed sections and suggestions (issue #16): suggesting keeps the agreement, accepting withdraws it. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { installAgreedSectionReset } from '../doc/observe.ts';
import { addSection, getSectionBody, getSectionMarks, setSectionAgreed } from '../doc/sections.ts';
import { paragraphsToRich } from '../doc/rich.ts';
import type { SectionMark } from '../types.ts';
import { acceptSuggestion, rejectSuggestion } from './yjs.ts';

const mark = (partyId: string, userId = 'u'): SectionMark => ({ partyId, userId, userName: userId, at: '2026-12-07T10:00:00Z' });
const ID = 'sg_kalle_lz0abc_abcdef';

function agreedSection() {
  const doc = new Y.Doc();
  const id = addSection(doc, { key: null, title: 'Ersättning', body: paragraphsToRich(['Föreningen får 100 000 kronor.']) });
  setSectionAgreed(doc, id, 'ngo', mark('ngo'));
  setSectionAgreed(doc, id, 'kommun', mark('kommun'));
  installAgreedSectionReset(doc, (tr) => (tr.origin === 'local' ? mark('kommun', 'kalle') : null));
  const text = () => (getSectionBody(doc, id).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const agreed = () => Object.keys(getSectionMarks(doc, id).agreedBy).sort();
  return { doc, id, text, agreed };
}

describe('agreed sections and suggestions', () => {
  it('a suggestion (insertion or deletion mark) keeps the agreement; a direct edit withdraws it', () => {
    const s = agreedSection();
    s.doc.transact(() => s.text().insert(15, 'minst ', { insertion: { id: ID } }), 'local');
    s.doc.transact(() => s.text().format(0, 10, { deletion: { id: ID } }), 'local');
    expect(s.agreed()).toEqual(['kommun', 'ngo']);
    s.doc.transact(() => s.text().insert(0, 'X'), 'local');
    expect(s.agreed()).toEqual([]);
    expect(getSectionMarks(s.doc, s.id).lastResetBy).toMatchObject({ userId: 'kalle' });
  });
  it('rejecting keeps the agreement; accepting changes the standing text and withdraws it', () => {
    const s = agreedSection();
    s.doc.transact(() => s.text().insert(15, 'minst ', { insertion: { id: ID } }), 'local');
    s.doc.transact(() => rejectSuggestion(getSectionBody(s.doc, s.id), ID), 'local');
    expect(s.agreed()).toEqual(['kommun', 'ngo']);
    s.doc.transact(() => s.text().insert(15, 'minst ', { insertion: { id: ID } }), 'local');
    s.doc.transact(() => acceptSuggestion(getSectionBody(s.doc, s.id), ID), 'local');
    expect(s.agreed()).toEqual([]);
  });
});
