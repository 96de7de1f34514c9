import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { partySignatoriesRule } from './party-signatories.ts';

describe('party signatories', () => {
  it('passes when every party has a named signatory with a title', () => {
    expect(runRule(partySignatoriesRule, completeFixtureSnapshot(), STANDARD_TEMPLATE)).toEqual([]);
  });

  it('reports a party without signatory and warns about a missing title', () => {
    const s = completeFixtureSnapshot();
    s.parties[1]!.signatories = [];
    s.parties[0]!.signatories[0]!.title = '';
    const f = runRule(partySignatoriesRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([
      ['party_signatory_title', 'warning'],
      ['party_signatory_missing', 'error'],
    ]);
    expect(f[1]?.message.en).toBe('Malmö stad has no signatory. Name who signs for Malmö stad under Parties.');
  });
});
