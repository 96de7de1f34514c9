import { describe, expect, it } from 'vitest';
import type { GoalRow, PeriodSnapshot } from '../types.ts';
import { followUpFindings, goalStatus, keyDates, noticeDate, parseGoalNumber, subtractMonths } from './index.ts';

const goal = (patch: Partial<GoalRow> = {}): GoalRow => ({
  id: 'g1',
  goal: 'Fler unga i arbete',
  indicator: 'Andel i arbete',
  baselineValue: '40 %',
  baselineDate: '2026-01-01',
  baselineSource: 'SCB',
  targetValue: '60 %',
  deadline: '2027-01-01',
  followUpMethod: 'statistics',
  responsiblePartyId: 'p1',
  followUpDates: ['2026-07-01', '2027-01-01'],
  acceptedBy: {},
  ...patch,
});
const period: PeriodSnapshot = { start: '2026-01-01', end: '2028-05-31', noticeMonths: 3, renegotiationBy: '2027-12-01' };

describe('follow-up rules', () => {
  it('parses what people write in the goal table', () => {
    expect(parseGoalNumber('45 %')).toBe(45);
    expect(parseGoalNumber('1 200')).toBe(1200);
    expect(parseGoalNumber('3,5 timmar')).toBe(3.5);
    expect(parseGoalNumber('minska')).toBeNull();
    expect(parseGoalNumber('')).toBeNull();
  });

  it('computes the notice date in calendar months (a missing day becomes the month end)', () => {
    expect(subtractMonths('2028-05-31', 3)).toBe('2028-02-29');
    expect(subtractMonths('2028-01-15', 2)).toBe('2027-11-15');
    expect(noticeDate(period)).toBe('2028-02-29');
    expect(noticeDate({ ...period, noticeMonths: null })).toBeNull();
  });

  it('lists every key date sorted, one per follow-up date', () => {
    expect(keyDates([goal()], period)).toEqual([
      { kind: 'follow-up', date: '2026-07-01', goalId: 'g1' },
      { kind: 'follow-up', date: '2027-01-01', goalId: 'g1' },
      { kind: 'goal-deadline', date: '2027-01-01', goalId: 'g1' },
      { kind: 'renegotiation', date: '2027-12-01' },
      { kind: 'notice', date: '2028-02-29' },
      { kind: 'period-end', date: '2028-05-31' },
    ]);
  });

  it('applies the status rule', () => {
    const g = goal();
    expect(goalStatus(g, [], '2026-08-01')).toBe('no-data');
    // Half-way in time (2026-07-02 is 182 of 365 days): the line expects ~50.
    expect(goalStatus(g, [{ goalId: 'g1', value: 52, measuredOn: '2026-07-02' }], '2026-08-01')).toBe('on-track');
    expect(goalStatus(g, [{ goalId: 'g1', value: 45, measuredOn: '2026-07-02' }], '2026-08-01')).toBe('behind');
    expect(goalStatus(g, [{ goalId: 'g1', value: 61, measuredOn: '2026-07-02' }], '2026-08-01')).toBe('reached');
    // Past the deadline without reaching the target.
    expect(goalStatus(g, [{ goalId: 'g1', value: 59, measuredOn: '2026-12-30' }], '2027-02-01')).toBe('behind');
    // A goal to decrease.
    const down = goal({ baselineValue: '20', targetValue: '10' });
    expect(goalStatus(down, [{ goalId: 'g1', value: 9, measuredOn: '2026-07-02' }], '2026-08-01')).toBe('reached');
    expect(goalStatus(down, [{ goalId: 'g1', value: 18, measuredOn: '2026-07-02' }], '2026-08-01')).toBe('behind');
    // Measurements after asOf do not count.
    expect(goalStatus(g, [{ goalId: 'g1', value: 61, measuredOn: '2026-09-01' }], '2026-08-01')).toBe('no-data');
    expect(goalStatus(goal({ targetValue: 'fler' }), [{ goalId: 'g1', value: 61, measuredOn: '2026-07-02' }], '2026-08-01')).toBe('no-data');
  });

  it('finds late measurements, missed follow-ups and a passed notice date', () => {
    const g = goal();
    const findings = followUpFindings({
      goals: [g],
      period,
      measurements: [{ goalId: 'g1', value: 50, measuredOn: '2027-01-10' }],
      asOf: '2028-03-01',
      decisionMade: false,
    });
    expect(findings).toEqual([
      { code: 'follow-up-missed', severity: 'warning', goalId: 'g1', date: '2026-07-01' },
      { code: 'measurement-after-deadline', severity: 'warning', goalId: 'g1', date: '2027-01-10' },
      { code: 'notice-passed', severity: 'error', date: '2028-02-29' },
    ]);
    expect(followUpFindings({ goals: [g], period, measurements: [], asOf: '2026-07-15', decisionMade: false })).toEqual([]);
    expect(followUpFindings({ goals: [], period, measurements: [], asOf: '2028-03-01', decisionMade: true })).toEqual([]);
  });
});

describe('final version labels', () => {
  it('names the original by number and a revision by its kind and number', async () => {
    const { finalVersionLabel } = await import('./index.ts');
    expect(finalVersionLabel({ kind: 'original', number: 1, revisionNumber: null })).toBe('Slutlig version 1');
    expect(finalVersionLabel({ kind: 'amendment', number: 2, revisionNumber: 1 })).toBe('Tillägg 1');
    expect(finalVersionLabel({ kind: 'renewal', number: 3, revisionNumber: 1 })).toBe('Förlängning 1');
    expect(finalVersionLabel({ kind: 'renewal', number: 3, revisionNumber: 2 }, 'en')).toBe('Renewal 2');
  });
});
