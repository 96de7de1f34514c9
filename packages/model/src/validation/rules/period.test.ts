import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import type { PeriodSnapshot } from '../../types.ts';
import { runRule } from '../context.ts';
import { periodRule } from './period.ts';

function check(period: PeriodSnapshot) {
  const s = completeFixtureSnapshot();
  s.period = period;
  return runRule(periodRule, s, STANDARD_TEMPLATE).map((f) => [f.ruleId, f.severity, f.target.kind === 'period' ? f.target.field : null]);
}

describe('period', () => {
  it('passes a three-year period with consistent notice and renegotiation', () => {
    expect(check({ start: '2026-01-01', end: '2028-12-31', noticeMonths: 6, renegotiationBy: '2028-03-31' })).toEqual([]);
  });

  it('reports missing and invalid dates', () => {
    expect(check({ start: null, end: '2026-13-01', noticeMonths: 6, renegotiationBy: null })).toEqual([
      ['period_missing', 'error', 'start'],
      ['period_invalid_date', 'error', 'end'],
    ]);
  });

  it('reports an end before the start', () => {
    expect(check({ start: '2027-01-01', end: '2026-12-31', noticeMonths: 3, renegotiationBy: '2026-06-01' })).toEqual([
      ['period_order', 'error', 'end'],
    ]);
  });

  it('warns about a period shorter than a year and missing notice/renegotiation', () => {
    expect(check({ start: '2026-01-01', end: '2026-11-30', noticeMonths: null, renegotiationBy: null })).toEqual([
      ['period_notice', 'warning', 'noticeMonths'],
      ['period_short', 'warning', 'end'],
      ['period_renegotiation', 'warning', 'renegotiationBy'],
    ]);
    // exactly one year is not short
    expect(check({ start: '2026-01-01', end: '2027-01-01', noticeMonths: 3, renegotiationBy: '2026-09-01' })).toEqual([]);
  });

  it('reports notice and renegotiation inconsistent with the period', () => {
    expect(check({ start: '2026-01-01', end: '2027-06-30', noticeMonths: 24, renegotiationBy: '2027-08-01' })).toEqual([
      ['period_notice', 'error', 'noticeMonths'],
      ['period_renegotiation', 'error', 'renegotiationBy'],
    ]);
    expect(check({ start: '2026-01-01', end: '2028-12-31', noticeMonths: 6, renegotiationBy: '2028-10-01' })).toEqual([
      ['period_renegotiation', 'warning', 'renegotiationBy'],
    ]);
    expect(check({ start: '2026-01-01', end: '2028-12-31', noticeMonths: -1, renegotiationBy: '2028-01-01' })).toEqual([
      ['period_notice', 'error', 'noticeMonths'],
    ]);
  });
});
