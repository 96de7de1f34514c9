import { describe, expect, it } from 'vitest';
import type { AgreementSnapshot, GoalRow, RichNode, SectionSnapshot } from '../types.ts';
import { diffText, redline, richTextToPlain, type TextChange } from './redline.ts';

const para = (text: string): RichNode => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
const doc = (...blocks: RichNode[]): RichNode => ({ type: 'doc', content: blocks });

function section(id: string, title: string, ...paragraphs: string[]): SectionSnapshot {
  return {
    id,
    key: id,
    title,
    required: false,
    guidance: null,
    body: doc(...paragraphs.map(para)),
    status: 'draft',
    readyForReview: null,
    agreedBy: {},
    lastResetBy: null,
  };
}

function goal(id: string, text: string, extra: Partial<GoalRow> = {}): GoalRow {
  return {
    id,
    goal: text,
    indicator: 'Antal deltagare',
    baselineValue: '10',
    baselineDate: '2025-01-01',
    baselineSource: 'SCB',
    targetValue: '50',
    deadline: '2027-12-31',
    followUpMethod: 'survey',
    responsiblePartyId: 'p1',
    followUpDates: ['2026-06-30'],
    acceptedBy: { p1: true, p2: false },
    ...extra,
  };
}

function agreement(overrides: Partial<AgreementSnapshot> = {}): AgreementSnapshot {
  return {
    title: 'IOP om läxhjälp',
    templateId: 'standard',
    templateVersion: 1,
    sections: [section('bakgrund', 'Bakgrund', 'Föreningen har drivit läxhjälp sedan 2015.'), section('syfte', 'Syfte', 'Att fler elever klarar skolan.')],
    parties: [
      { id: 'p1', name: 'Föreningen Läxhjälpen', kind: 'ideburen', orgNumber: '802000-0000', municipalityCode: null, contacts: [], signatories: [] },
      { id: 'p2', name: 'Exempel kommun', kind: 'kommun', orgNumber: '212000-0000', municipalityCode: '0180', contacts: [], signatories: [] },
    ],
    goals: [goal('g1', 'Fler elever når godkänt')],
    contributions: [
      { id: 'c1', partyId: 'p2', kind: 'money', description: 'Bidrag till lokalhyra', quantity: null, unit: '', valueSek: 100000, periodStart: null, periodEnd: null },
    ],
    period: { start: '2026-01-01', end: '2028-12-31', noticeMonths: 6, renegotiationBy: '2028-06-30' },
    checklist: {
      initiative_from_ngo: { answer: 'yes', justification: 'Föreningen tog initiativet.' },
      political_programme: { answer: null, justification: '' },
      not_standard_grant: { answer: null, justification: '' },
      no_market: { answer: 'yes', justification: 'Ingen marknad finns.' },
      both_finance: { answer: null, justification: '' },
      long_term: { answer: null, justification: '' },
    },
    attachments: [],
    ...overrides,
  };
}

const joined = (changes: TextChange[], op: TextChange['op']) =>
  changes.filter((c) => c.op === op).map((c) => c.text.trim()).join(' ');
const rebuild = (changes: TextChange[], side: 'old' | 'new') =>
  changes.filter((c) => c.op === 'equal' || c.op === (side === 'old' ? 'delete' : 'insert')).map((c) => c.text).join('');

describe('diffText', () => {
  it('marks changed words, not whole lines, and both sides can be rebuilt', () => {
    const a = 'Kommunen bidrar med lokaler och 100 000 kronor per år.';
    const b = 'Kommunen bidrar med lokaler och 150 000 kronor per kvartal.';
    const changes = diffText(a, b);
    expect(joined(changes, 'delete')).toBe('100 år');
    expect(joined(changes, 'insert')).toBe('150 kvartal');
    expect(rebuild(changes, 'old')).toBe(a);
    expect(rebuild(changes, 'new')).toBe(b);
  });

  it('handles Swedish letters as parts of words', () => {
    const changes = diffText('Målgruppen är unga.', 'Målgruppen är äldre.');
    expect(joined(changes, 'delete')).toBe('unga');
    expect(joined(changes, 'insert')).toBe('äldre');
  });

  it('returns no changes for equal text and one run for empty sides', () => {
    expect(diffText('a b', 'a b')).toEqual([{ op: 'equal', text: 'a b' }]);
    expect(diffText('', 'ny')).toEqual([{ op: 'insert', text: 'ny' }]);
    expect(diffText('gammal', '')).toEqual([{ op: 'delete', text: 'gammal' }]);
  });
});

describe('richTextToPlain', () => {
  it('puts blocks on lines, marks list items and separates table cells', () => {
    const body = doc(
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Rubrik' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'Fet', marks: [{ type: 'bold' }] }, { type: 'text', text: ' text' }] },
      { type: 'bulletList', content: [{ type: 'listItem', content: [para('ett')] }, { type: 'listItem', content: [para('två')] }] },
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [{ type: 'tableHeader', content: [para('A')] }, { type: 'tableHeader', content: [para('B')] }] },
          { type: 'tableRow', content: [{ type: 'tableCell', content: [para('1')] }, { type: 'tableCell', content: [para('2')] }] },
        ],
      },
    );
    expect(richTextToPlain(body)).toBe('Rubrik\nFet text\n• ett\n• två\nA | B\n1 | 2');
  });
});

describe('redline', () => {
  it('reports nothing for identical versions', () => {
    const r = redline(agreement(), agreement());
    expect(r.summary.changed).toBe(false);
    expect(r.sections.every((s) => s.change === 'unchanged' && !s.moved)).toBe(true);
    expect(r.goals.changed).toBe(false);
  });

  it('shows word-level insertions and deletions in a section body', () => {
    const newer = agreement();
    newer.sections[0] = section('bakgrund', 'Bakgrund', 'Föreningen har drivit läxhjälp och språkcafé sedan 2016.');
    const r = redline(agreement(), newer);
    const s = r.sections.find((x) => x.sectionId === 'bakgrund')!;
    expect(s.change).toBe('modified');
    expect(s.bodyChanged).toBe(true);
    expect(joined(s.body, 'insert')).toBe('och språkcafé 2016');
    expect(joined(s.body, 'delete')).toBe('2015');
    expect(r.summary).toMatchObject({ changed: true, sectionsModified: 1 });
  });

  it('compares the standing text: open suggestions are no change, an accepted one is (issue #16)', () => {
    const id = 'sg_kalle_lz0abc_abcdef';
    const withSuggestion = agreement();
    withSuggestion.sections[0] = {
      ...section('bakgrund', 'Bakgrund'),
      body: doc({
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Föreningen har drivit ' },
          { type: 'text', text: 'kostnadsfri ', marks: [{ type: 'insertion', attrs: { id } }] },
          { type: 'text', text: 'läxhjälp sedan 2015.', marks: [] },
        ],
      }),
    };
    const open = redline(agreement(), withSuggestion).sections.find((x) => x.sectionId === 'bakgrund')!;
    expect(open.change).toBe('unchanged');
    expect(open.bodyChanged).toBe(false);
    const accepted = agreement();
    accepted.sections[0] = section('bakgrund', 'Bakgrund', 'Föreningen har drivit kostnadsfri läxhjälp sedan 2015.');
    const decided = redline(withSuggestion, accepted).sections.find((x) => x.sectionId === 'bakgrund')!;
    expect(decided.change).toBe('modified');
    expect(joined(decided.body, 'insert')).toBe('kostnadsfri');
  });

  it('reports renamed, added, removed and moved sections in the newer order', () => {
    const older = agreement({
      sections: [section('a', 'Alfa', 'a'), section('b', 'Beta', 'b'), section('c', 'Gamma', 'c'), section('d', 'Delta', 'd')],
    });
    const newer = agreement({
      sections: [section('d', 'Delta', 'd'), section('a', 'Alfa', 'a'), section('c', 'Gamma ny', 'c'), section('e', 'Epsilon', 'ny text')],
    });
    const r = redline(older, newer);
    expect(r.sections.map((s) => [s.sectionId, s.change, s.moved])).toEqual([
      ['d', 'unchanged', true],
      ['a', 'unchanged', false],
      ['b', 'removed', false],
      ['c', 'modified', false],
      ['e', 'added', false],
    ]);
    const c = r.sections.find((s) => s.sectionId === 'c')!;
    expect(c.titleDiff).toMatchObject({ old: 'Gamma', new: 'Gamma ny' });
    expect(c.bodyChanged).toBe(false);
    expect(r.sections.find((s) => s.sectionId === 'b')!.body).toEqual([{ op: 'delete', text: 'b' }]);
    expect(r.sections.find((s) => s.sectionId === 'e')!.body).toEqual([{ op: 'insert', text: 'ny text' }]);
    expect(r.summary).toMatchObject({ sectionsAdded: 1, sectionsRemoved: 1, sectionsModified: 1, sectionsMoved: 1 });
  });

  it('diffs the goal table by row: added, removed and changed cells', () => {
    const older = agreement({ goals: [goal('g1', 'Fler elever når godkänt'), goal('g2', 'Minskad ensamhet')] });
    const newer = agreement({
      goals: [goal('g1', 'Fler elever når godkänt i matematik', { targetValue: '60', acceptedBy: { p1: true, p2: true } }), goal('g3', 'Fler volontärer')],
    });
    const r = redline(older, newer);
    expect(r.goals.rows.map((row) => [row.rowId, row.change])).toEqual([
      ['g1', 'modified'],
      ['g2', 'removed'],
      ['g3', 'added'],
    ]);
    const g1 = r.goals.rows[0]!;
    expect(g1.cells.map((c) => c.column).sort()).toEqual(['acceptedBy:p2', 'goal', 'targetValue']);
    expect(joined(g1.cells.find((c) => c.column === 'goal')!.changes, 'insert')).toBe('i matematik');
    expect(g1.cells.find((c) => c.column === 'targetValue')).toMatchObject({ old: '50', new: '60' });
    expect(r.goals.rows[2]!.cells.find((c) => c.column === 'goal')).toMatchObject({ old: '', new: 'Fler volontärer' });
    expect(r.summary.goalRowsChanged).toBe(3);
  });

  it('diffs contributions, period, checklist and the agreement title', () => {
    const newer = agreement({
      title: 'IOP om läxhjälp och språkcafé',
      contributions: [
        { id: 'c1', partyId: 'p2', kind: 'money', description: 'Bidrag till lokalhyra', quantity: null, unit: '', valueSek: 120000, periodStart: null, periodEnd: null },
        { id: 'c2', partyId: 'p1', kind: 'volunteer_work', description: 'Läxhjälpare', quantity: 200, unit: 'timmar', valueSek: null, periodStart: null, periodEnd: null },
      ],
      period: { start: '2026-01-01', end: '2029-12-31', noticeMonths: 6, renegotiationBy: '2029-06-30' },
    });
    newer.checklist = { ...newer.checklist, both_finance: { answer: 'yes', justification: 'Båda bidrar.' } };
    const r = redline(agreement(), newer);
    expect(r.title).toMatchObject({ old: 'IOP om läxhjälp', new: 'IOP om läxhjälp och språkcafé' });
    expect(r.contributions.rows.map((row) => [row.rowId, row.change])).toEqual([
      ['c1', 'modified'],
      ['c2', 'added'],
    ]);
    expect(r.contributions.rows[0]!.cells).toEqual([
      { column: 'valueSek', old: '100000', new: '120000', changes: [{ op: 'delete', text: '100000' }, { op: 'insert', text: '120000' }] },
    ]);
    expect(r.period).toEqual([
      { field: 'end', old: '2028-12-31', new: '2029-12-31' },
      { field: 'renegotiationBy', old: '2028-06-30', new: '2029-06-30' },
    ]);
    expect(r.checklist).toEqual([
      { key: 'both_finance', answer: { old: '', new: 'yes' }, justification: { old: '', new: 'Båda bidrar.', changes: [{ op: 'insert', text: 'Båda bidrar.' }] } },
    ]);
  });

  it('is JSON-serialisable (it travels over HTTP)', () => {
    const newer = agreement();
    newer.sections.reverse();
    const r = redline(agreement(), newer);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
