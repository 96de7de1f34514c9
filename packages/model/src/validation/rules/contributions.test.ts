import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot, FIXTURE_NGO_ID } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { contributionsRule } from './contributions.ts';

describe('contributions', () => {
  it('passes when every party contributes with complete rows', () => {
    expect(runRule(contributionsRule, completeFixtureSnapshot(), STANDARD_TEMPLATE)).toEqual([]);
  });

  it('reports a party that contributes nothing', () => {
    const s = completeFixtureSnapshot();
    s.contributions = s.contributions.filter((c) => c.partyId !== FIXTURE_NGO_ID);
    const f = runRule(contributionsRule, s, STANDARD_TEMPLATE);
    expect(f).toMatchObject([{ ruleId: 'party_contribution_missing', severity: 'error', target: { kind: 'party', partyId: FIXTURE_NGO_ID, field: 'contributions' } }]);
    expect(f[0]?.message.sv).toContain('Föreningen Läxhjälp Malmö bidrar inte');
  });

  it('reports incomplete rows and warns about rows outside the period', () => {
    const s = completeFixtureSnapshot();
    const money = s.contributions[0]!;
    money.valueSek = null;
    money.partyId = null;
    s.contributions[2]!.description = '';
    s.contributions[3]!.periodEnd = '2030-12-31';
    const f = runRule(contributionsRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.target])).toEqual([
      ['contribution_incomplete', { kind: 'contribution', rowId: money.id, column: 'partyId' }],
      ['contribution_incomplete', { kind: 'contribution', rowId: money.id, column: 'valueSek' }],
      ['contribution_incomplete', { kind: 'contribution', rowId: s.contributions[2]!.id, column: 'description' }],
      ['contribution_period_outside', { kind: 'contribution', rowId: s.contributions[3]!.id, column: 'periodStart' }],
    ]);
  });
});
