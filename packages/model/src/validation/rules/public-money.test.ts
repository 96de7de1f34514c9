import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot, FIXTURE_NGO_ID } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { publicMoneyRule } from './public-money.ts';

describe('public money above the direct-procurement threshold', () => {
  it('passes at or below the threshold (money from the idéburen party does not count)', () => {
    const s = completeFixtureSnapshot();
    expect(runRule(publicMoneyRule, s, STANDARD_TEMPLATE)).toEqual([]);
    s.contributions[0]!.valueSek = 700_000;
    s.contributions.push({ ...s.contributions[0]!, id: 'ngo-money', partyId: FIXTURE_NGO_ID, valueSek: 5_000_000 });
    expect(runRule(publicMoneyRule, s, STANDARD_TEMPLATE)).toEqual([]);
  });

  it('informs above the threshold, pointing at the form section; the threshold is configurable', () => {
    const s = completeFixtureSnapshot();
    s.contributions.push({ ...s.contributions[0]!, id: 'more', valueSek: 300_000 });
    const f = runRule(publicMoneyRule, s, STANDARD_TEMPLATE);
    expect(f).toMatchObject([
      { ruleId: 'public_money_threshold', severity: 'info', target: { kind: 'section', sectionId: 'fixture-section-form_and_premises' } },
    ]);
    expect(f[0]?.message.sv).toContain('750 000 kr, över gränsen för direktupphandling (700 000 kr)');
    expect(f[0]?.message.en).toContain('SEK 750,000');
    expect(runRule(publicMoneyRule, s, STANDARD_TEMPLATE, { publicMoneyThresholdSek: 1_000_000 })).toEqual([]);
  });
});
