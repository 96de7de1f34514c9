import type { GoalRow, PeriodSnapshot } from '../types.ts';
import { addDays } from './dates.ts';
import { noticeDate } from './key-dates.ts';
import type { MeasurementPoint } from './status.ts';
import { isIsoDate } from '../validation/util.ts';

export type FollowUpFindingCode = 'measurement-after-deadline' | 'follow-up-missed' | 'notice-passed';

export interface FollowUpFinding {
  code: FollowUpFindingCode;
  severity: 'warning' | 'error';
  goalId?: string;
  date: string;
}

/** A measurement taken up to this many days after a follow-up date still counts for it. */
export const FOLLOW_UP_GRACE_DAYS = 30;

export interface FindingsInput {
  goals: readonly GoalRow[];
  period: PeriodSnapshot;
  measurements: readonly MeasurementPoint[];
  asOf: string;
  /** A decision about the period was taken: a renewal or amendment was started (or signed) after signing. */
  decisionMade: boolean;
}

/**
 * What needs attention in a living agreement on `asOf` (README.md states each rule):
 * - `measurement-after-deadline` (warning): a measurement dated after its goal's deadline.
 * - `follow-up-missed` (warning): a follow-up date more than FOLLOW_UP_GRACE_DAYS before `asOf` with no
 *   measurement of that goal dated after the previous follow-up date and at most the grace after it.
 * - `notice-passed` (error): the notice date has passed and no decision (renewal or amendment) was made.
 */
export function followUpFindings(input: FindingsInput): FollowUpFinding[] {
  const out: FollowUpFinding[] = [];
  for (const goal of input.goals) {
    const mine = input.measurements.filter((m) => m.goalId === goal.id);
    if (goal.deadline) {
      for (const m of mine) if (m.measuredOn > goal.deadline) out.push({ code: 'measurement-after-deadline', severity: 'warning', goalId: goal.id, date: m.measuredOn });
    }
    const dates = [...new Set(goal.followUpDates.filter(isIsoDate))].sort();
    let previous = '';
    for (const date of dates) {
      const until = addDays(date, FOLLOW_UP_GRACE_DAYS);
      if (until < input.asOf && !mine.some((m) => m.measuredOn > previous && m.measuredOn <= until)) {
        out.push({ code: 'follow-up-missed', severity: 'warning', goalId: goal.id, date });
      }
      previous = date;
    }
  }
  const notice = noticeDate(input.period);
  if (notice && notice < input.asOf && !input.decisionMade) out.push({ code: 'notice-passed', severity: 'error', date: notice });
  return out.sort((a, b) => a.date.localeCompare(b.date));
}
