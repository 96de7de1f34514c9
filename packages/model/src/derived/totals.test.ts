import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot, FIXTURE_KOMMUN_ID, FIXTURE_NGO_ID } from '../fixtures/index.ts';
import { contributionTotals } from './totals.ts';

describe('contributionTotals', () => {
  it('sums per party and per kind, counting unvalued rows', () => {
    const t = contributionTotals(completeFixtureSnapshot().contributions);
    expect(t.totalSek).toBe(450_000 + 96_000 + 280_000);
    expect(t.byParty[FIXTURE_KOMMUN_ID]).toMatchObject({ totalSek: 546_000, rows: 2 });
    expect(t.byParty[FIXTURE_KOMMUN_ID]?.byKind.premises).toBe(96_000);
    expect(t.byParty[FIXTURE_NGO_ID]).toMatchObject({ totalSek: 280_000, rows: 2 });
    expect(t.byKind).toEqual({ money: 450_000, staff_time: 280_000, premises: 96_000, volunteer_work: 0, expertise: 0, other: 0 });
    expect(t.unvaluedRows).toBe(1);
    expect(contributionTotals([])).toMatchObject({ totalSek: 0, byParty: {}, unvaluedRows: 0 });
  });
});
