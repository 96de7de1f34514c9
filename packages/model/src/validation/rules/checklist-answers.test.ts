import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { checklistAnswersRule } from './checklist-answers.ts';

describe('checklist: other questions', () => {
  it('passes when all are answered yes; "no market" is left to its own rule', () => {
    const s = completeFixtureSnapshot();
    s.checklist.no_market = { answer: null, justification: '' };
    expect(runRule(checklistAnswersRule, s, STANDARD_TEMPLATE)).toEqual([]);
  });

  it('warns about unanswered questions and informs about a no', () => {
    const s = completeFixtureSnapshot();
    s.checklist.long_term = { answer: null, justification: '' };
    s.checklist.both_finance = { answer: 'no', justification: '' };
    s.checklist.initiative_from_ngo = { answer: 'unsure', justification: '' };
    const f = runRule(checklistAnswersRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.severity, x.target])).toEqual([
      ['checklist_answered_no', 'info', { kind: 'checklist', key: 'both_finance', field: 'justification' }],
      ['checklist_unanswered', 'warning', { kind: 'checklist', key: 'long_term', field: 'answer' }],
    ]);
    expect(f[1]?.message.sv).toContain('Verksamheten är tänkt att pågå under lång tid');
  });
});
