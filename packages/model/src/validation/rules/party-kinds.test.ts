import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { partyKindsRule } from './party-kinds.ts';

describe('party kinds', () => {
  it('passes with a kommun and an idéburen party; a region also counts as public', () => {
    const s = completeFixtureSnapshot();
    expect(runRule(partyKindsRule, s, STANDARD_TEMPLATE)).toEqual([]);
    s.parties[1]!.kind = 'region';
    expect(runRule(partyKindsRule, s, STANDARD_TEMPLATE)).toEqual([]);
  });

  it('reports a missing public party and a missing idéburen party', () => {
    const s = completeFixtureSnapshot();
    s.parties[1]!.kind = 'ideburen';
    expect(runRule(partyKindsRule, s, STANDARD_TEMPLATE).map((f) => f.ruleId)).toEqual(['party_public_missing']);
    s.parties = [];
    expect(runRule(partyKindsRule, s, STANDARD_TEMPLATE).map((f) => f.ruleId)).toEqual(['party_public_missing', 'party_ideburen_missing']);
  });
});
