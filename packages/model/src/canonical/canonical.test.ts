import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AgreementDoc } from '../doc/agreement-doc.ts';
import { buildCompleteFixtureDoc, completeFixtureSnapshot, COMPLETE_FIXTURE_TITLE, FIXTURE_NGO_ID } from '../fixtures/index.ts';
import type { AgreementSnapshot } from '../types.ts';
import { canonicalSerialize, stableStringify } from './canonical.ts';

/** Rebuilds every object with its keys in reverse order. */
function reverseKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reverseKeys) as T;
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .reverse()
        .map(([k, x]) => [k, reverseKeys(x)]),
    ) as T;
  }
  return v;
}

describe('canonicalSerialize', () => {
  it('is the same for the same content with a different key order', () => {
    const a = completeFixtureSnapshot();
    const b = reverseKeys(completeFixtureSnapshot());
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(canonicalSerialize(b)).toBe(canonicalSerialize(a));
  });

  it('changes with a one-character edit anywhere that matters', () => {
    const base = canonicalSerialize(completeFixtureSnapshot());
    const edits: Array<(s: AgreementSnapshot) => void> = [
      (s) => {
        const text = s.sections[2]!.body.content![0]!.content![0]!;
        text.text = text.text!.replace('fler', 'flera');
      },
      (s) => (s.sections[4]!.title = s.sections[4]!.title + 'x'),
      (s) => (s.parties[0]!.orgNumber = '802480-1239'),
      (s) => (s.goals[0]!.targetValue = '76 %'),
      (s) => (s.contributions[0]!.valueSek = 450_001),
      (s) => (s.period.noticeMonths = 5),
      (s) => (s.checklist.no_market.justification += '.'),
      (s) => (s.attachments[0]!.title += 'x'),
      (s) => (s.title += '!'),
      (s) => {
        delete s.goals[0]!.acceptedBy[FIXTURE_NGO_ID];
      },
      (s) => {
        // a mark is content: making a word bold changes the hash
        const p = s.sections[2]!.body.content![0]!;
        p.content![0]!.marks = [{ type: 'bold' }];
      },
      (s) => s.sections.reverse(),
    ];
    edits.forEach((edit, i) => {
      const s = completeFixtureSnapshot();
      edit(s);
      expect(canonicalSerialize(s), `edit ${i}`).not.toBe(base);
    });
  });

  it('ignores ids, status marks, guidance and equivalent text splits or mark orders', () => {
    const base = canonicalSerialize(completeFixtureSnapshot());
    const s = completeFixtureSnapshot();
    s.sections[0]!.id = 'other';
    s.sections[0]!.status = 'agreed';
    s.sections[0]!.agreedBy = { x: { partyId: 'x', userId: 'u', userName: 'U', at: '2026-01-01' } };
    s.sections[0]!.guidance = 'annan hjälptext';
    s.goals[0]!.id = 'g';
    s.parties[0]!.contacts[0]!.id = 'c';
    s.parties[0]!.signatories[0]!.userId = 'user';
    s.templateVersion = 7;
    // split a text node in two and put two marks in the other order
    const para = s.sections[0]!.body.content![0]!;
    const first = para.content![0]!;
    para.content!.splice(0, 1, { type: 'text', text: first.text!.slice(0, 5) }, { type: 'text', text: first.text!.slice(5) });
    const bold = para.content!.find((n) => n.marks?.length)!;
    bold.marks = [{ type: 'italic' }, { type: 'bold' }];
    const t = completeFixtureSnapshot();
    t.sections[0]!.body.content![0]!.content!.find((n) => n.marks?.length)!.marks = [{ type: 'bold' }, { type: 'italic' }];
    expect(canonicalSerialize(s)).toBe(canonicalSerialize(t));
    // and without the italic the untouched fixture is what we started from
    expect(canonicalSerialize(completeFixtureSnapshot())).toBe(base);
  });

  it('is the same for two replicas that reached the same state through different histories', () => {
    const a = buildCompleteFixtureDoc();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const da = new AgreementDoc(a);
    const db = new AgreementDoc(b);
    const id = da.sections()[0]!.id;
    // a: set the body twice, b: once, same final content
    da.setSectionBody(id, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Tillfälligt' }] }] });
    da.setSectionBody(id, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Slutlig text' }] }] });
    db.setSectionBody(id, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Slutlig text' }] }] });
    db.setSectionReadyForReview(id, { partyId: 'p', userId: 'u', userName: 'U', at: 'now' });
    expect(canonicalSerialize(db.snapshot(COMPLETE_FIXTURE_TITLE))).toBe(canonicalSerialize(da.snapshot(COMPLETE_FIXTURE_TITLE)));
  });

  it('stableStringify sorts keys and normalises Unicode through canonicalSerialize', () => {
    expect(stableStringify({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    const composed = completeFixtureSnapshot();
    const decomposed = completeFixtureSnapshot();
    decomposed.title = decomposed.title.normalize('NFD');
    expect(decomposed.title).not.toBe(composed.title);
    expect(canonicalSerialize(decomposed)).toBe(canonicalSerialize(composed));
  });
});
