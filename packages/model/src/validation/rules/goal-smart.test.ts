import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { goalSmartRule } from './goal-smart.ts';

describe('goal SMART completeness', () => {
  it('passes complete rows', () => {
    expect(runRule(goalSmartRule, completeFixtureSnapshot(), STANDARD_TEMPLATE)).toEqual([]);
  });

  it('reports each missing SMART column of the row, naming the row', () => {
    const s = completeFixtureSnapshot();
    const g = s.goals[1]!;
    g.indicator = ' ';
    g.baselineDate = null;
    g.targetValue = '';
    const f = runRule(goalSmartRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.target])).toEqual([
      ['goal_incomplete', { kind: 'goal', rowId: g.id, column: 'indicator' }],
      ['goal_incomplete', { kind: 'goal', rowId: g.id, column: 'baselineDate' }],
      ['goal_incomplete', { kind: 'goal', rowId: g.id, column: 'targetValue' }],
    ]);
    expect(f[0]?.message.sv).toBe('Mål 2 (”Fler barn deltar regelbundet i läxhjälpen”) saknar indikator (hur mäts det?).');
  });

  it('reports invalid dates, baseline after deadline, unknown responsible party and follow-up gaps', () => {
    const s = completeFixtureSnapshot();
    const g = s.goals[0]!;
    g.deadline = '2027-02-30';
    s.goals[1]!.baselineDate = '2028-01-01';
    s.goals[2]!.responsiblePartyId = 'gone';
    s.goals[2]!.followUpMethod = null;
    s.goals[2]!.followUpDates = [];
    const f = runRule(goalSmartRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([
      ['goal_invalid_date', 'error'],
      ['goal_baseline_after_deadline', 'error'],
      ['goal_unknown_party', 'error'],
      ['goal_follow_up_incomplete', 'warning'],
      ['goal_follow_up_incomplete', 'warning'],
    ]);
  });
});
