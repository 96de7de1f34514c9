import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { goalsPresentRule } from './goals-present.ts';

describe('goals present', () => {
  it('passes with at least one goal', () => {
    expect(runRule(goalsPresentRule, completeFixtureSnapshot(), STANDARD_TEMPLATE)).toEqual([]);
  });
  it('reports an empty goal table', () => {
    const s = completeFixtureSnapshot();
    s.goals = [];
    expect(runRule(goalsPresentRule, s, STANDARD_TEMPLATE)).toMatchObject([
      { ruleId: 'goals_missing', severity: 'error', target: { kind: 'agreement', field: 'goals' } },
    ]);
  });
});
