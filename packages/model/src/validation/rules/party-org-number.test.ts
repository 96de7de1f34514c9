import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { partyOrgNumberRule } from './party-org-number.ts';

describe('party organisation numbers', () => {
  it('passes valid numbers that fit the party kinds', () => {
    expect(runRule(partyOrgNumberRule, completeFixtureSnapshot(), STANDARD_TEMPLATE)).toEqual([]);
  });

  it('reports a bad check digit naming the party and the number', () => {
    const s = completeFixtureSnapshot();
    s.parties[0]!.orgNumber = '802480-1234';
    const f = runRule(partyOrgNumberRule, s, STANDARD_TEMPLATE);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'party_org_number', severity: 'error', target: { kind: 'party', partyId: s.parties[0]!.id, field: 'orgNumber' } });
    expect(f[0]?.message.sv).toContain('Föreningen Läxhjälp Malmö (802480-1234)');
    expect(f[0]?.message.sv).toContain('kontrollsiffran');
  });

  it('reports a missing number and warns when the legal form does not fit', () => {
    const s = completeFixtureSnapshot();
    s.parties[0]!.orgNumber = '';
    s.parties[1]!.orgNumber = '802480-1238'; // an association's number on the kommun
    const f = runRule(partyOrgNumberRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([
      ['party_org_number', 'error'],
      ['party_org_number_form', 'warning'],
    ]);
  });
});
