import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { checklistNoMarketRule } from './checklist-no-market.ts';

describe('checklist: no market', () => {
  it('passes when answered yes with a justification', () => {
    expect(runRule(checklistNoMarketRule, completeFixtureSnapshot(), STANDARD_TEMPLATE)).toEqual([]);
  });

  it('is an error when unanswered, no or unsure, or yes without justification', () => {
    const s = completeFixtureSnapshot();
    for (const answer of [null, 'no', 'unsure'] as const) {
      s.checklist.no_market = { answer, justification: 'x' };
      expect(runRule(checklistNoMarketRule, s, STANDARD_TEMPLATE)).toMatchObject([
        { ruleId: 'checklist_no_market', severity: 'error', target: { kind: 'checklist', key: 'no_market', field: 'answer' } },
      ]);
    }
    s.checklist.no_market = { answer: 'yes', justification: '  ' };
    expect(runRule(checklistNoMarketRule, s, STANDARD_TEMPLATE)).toMatchObject([
      { ruleId: 'checklist_no_market', severity: 'error', target: { field: 'justification' } },
    ]);
  });
});
