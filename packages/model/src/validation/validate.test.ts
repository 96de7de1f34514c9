import { describe, expect, it } from 'vitest';
import { brokenFixtures, completeFixtureSnapshot, FIXTURE_KOMMUN_ID } from '../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../templates/standard.ts';
import { RULES } from './registry.ts';
import { validateAgreement } from './validate.ts';

describe('validateAgreement', () => {
  it('finds nothing at all in the complete fixture', () => {
    const result = validateAgreement(completeFixtureSnapshot(), STANDARD_TEMPLATE);
    expect(result.findings).toEqual([]);
    expect(result.summary).toEqual({ readyToSign: true, errors: 0, warnings: 0, infos: 0, signingOnlyErrors: 0 });
  });

  for (const [name, fixture] of Object.entries(brokenFixtures)) {
    it(`broken fixture ${name}: ${fixture.description}`, () => {
      const result = validateAgreement(fixture.build(), STANDARD_TEMPLATE);
      const ids = new Set(result.findings.map((f) => f.ruleId));
      for (const id of fixture.expect) expect(ids, `expected ${id}`).toContain(id);
      expect(result.summary.readyToSign).toBe(false);
      expect(result.summary.errors).toBeGreaterThan(0);
      for (const f of result.findings) {
        expect(f.message.sv.length).toBeGreaterThan(10);
        expect(f.message.en.length).toBeGreaterThan(10);
        expect(f.message.sv).not.toBe(f.message.en);
      }
    });
  }

  it('counts signing-only errors separately, sorts errors first and honours options', () => {
    const snap = brokenFixtures.goalsNotAccepted.build();
    snap.checklist.long_term = { answer: null, justification: '' };
    snap.contributions[0]!.valueSek = 900_000;
    const result = validateAgreement(snap, STANDARD_TEMPLATE);
    expect(result.findings.map((f) => f.severity)).toEqual(['error', 'warning', 'info']);
    expect(result.summary).toEqual({ readyToSign: false, errors: 1, warnings: 1, infos: 1, signingOnlyErrors: 1 });
    expect(result.findings[0]).toMatchObject({ ruleId: 'goal_not_accepted', signingOnly: true });
    const higher = validateAgreement(snap, STANDARD_TEMPLATE, { publicMoneyThresholdSek: 2_000_000 });
    expect(higher.summary.infos).toBe(0);
    const only = validateAgreement(snap, STANDARD_TEMPLATE, { rules: ['goal_not_accepted'] });
    expect(only.findings.map((f) => f.ruleId)).toEqual(['goal_not_accepted']);
    expect(snap.contributions[0]?.partyId).toBe(FIXTURE_KOMMUN_ID);
  });

  it('has unique rule ids', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});
