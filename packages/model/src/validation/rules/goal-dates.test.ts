import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { goalDatesRule } from './goal-dates.ts';

describe('goal dates inside the period', () => {
  it('passes when deadlines and follow-ups lie in the period, and waits for a valid period', () => {
    const s = completeFixtureSnapshot();
    expect(runRule(goalDatesRule, s, STANDARD_TEMPLATE)).toEqual([]);
    s.period.end = null;
    s.goals[0]!.deadline = '2035-01-01';
    expect(runRule(goalDatesRule, s, STANDARD_TEMPLATE)).toEqual([]);
  });

  it('reports a deadline and follow-up dates outside the period', () => {
    const s = completeFixtureSnapshot();
    s.goals[0]!.deadline = '2029-01-15';
    s.goals[1]!.followUpDates = ['2025-12-01', '2026-06-30'];
    const f = runRule(goalDatesRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => x.target)).toEqual([
      { kind: 'goal', rowId: s.goals[0]!.id, column: 'deadline' },
      { kind: 'goal', rowId: s.goals[1]!.id, column: 'followUpDates' },
    ]);
    expect(f[0]?.message.sv).toContain('tidsgränsen 2029-01-15 ligger utanför partnerskapets period (2026-01-01 – 2028-12-31)');
    expect(f[1]?.message.en).toContain('2025-12-01');
    expect(f[1]?.message.en).not.toContain('2026-06-30');
  });
});
