import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot, FIXTURE_NGO_ID } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { goalAcceptanceRule } from './goal-acceptance.ts';

describe('goal acceptance', () => {
  it('passes when every party accepted every goal', () => {
    expect(runRule(goalAcceptanceRule, completeFixtureSnapshot(), STANDARD_TEMPLATE)).toEqual([]);
  });

  it('reports, for signing only, which parties have not accepted a goal', () => {
    const s = completeFixtureSnapshot();
    s.goals[0]!.acceptedBy = { [FIXTURE_NGO_ID]: true };
    s.goals[2]!.acceptedBy = {};
    const f = runRule(goalAcceptanceRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.severity, x.signingOnly, x.target])).toEqual([
      ['goal_not_accepted', 'error', true, { kind: 'goal', rowId: s.goals[0]!.id, column: 'acceptedBy' }],
      ['goal_not_accepted', 'error', true, { kind: 'goal', rowId: s.goals[2]!.id, column: 'acceptedBy' }],
    ]);
    expect(f[0]?.message.sv).toContain('inte godkänt av Malmö stad');
    expect(f[1]?.message.sv).toContain('Föreningen Läxhjälp Malmö och Malmö stad');
  });
});
