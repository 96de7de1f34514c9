import { describe, expect, it } from 'vitest';
import { suggestedMeasuredOn } from './suggest.ts';

describe('suggestedMeasuredOn', () => {
  const dates = ['2026-06-30', '2026-12-31', '2027-06-30'];
  it('offers the latest follow-up date that passed without a measurement', () => {
    expect(suggestedMeasuredOn(dates, [], '2027-01-15')).toBe('2026-12-31');
    expect(suggestedMeasuredOn(dates, ['2026-12-31'], '2027-01-15')).toBe('2026-06-30');
  });
  it('offers today when every passed date has its measurement, or none has passed', () => {
    expect(suggestedMeasuredOn(dates, ['2026-06-30', '2026-12-31'], '2027-01-15')).toBe('2027-01-15');
    expect(suggestedMeasuredOn(dates, [], '2026-03-01')).toBe('2026-03-01');
  });
});
