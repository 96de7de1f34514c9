import type { GoalRow, PeriodSnapshot } from '../types.ts';
import { isIsoDate } from '../validation/util.ts';
import { subtractMonths } from './dates.ts';

export type KeyDateKind = 'follow-up' | 'goal-deadline' | 'period-end' | 'notice' | 'renegotiation';

export interface KeyDate {
  kind: KeyDateKind;
  date: string;
  goalId?: string;
}

const ORDER: Record<KeyDateKind, number> = { 'follow-up': 0, 'goal-deadline': 1, notice: 2, renegotiation: 3, 'period-end': 4 };

/** The last day to give notice: the period's end minus the notice period, or null when either is missing. */
export function noticeDate(period: PeriodSnapshot): string | null {
  if (!isIsoDate(period.end) || period.noticeMonths == null || !(period.noticeMonths >= 0)) return null;
  return subtractMonths(period.end, Math.round(period.noticeMonths));
}

/**
 * Every date that matters after signing, sorted by date: each goal's follow-up dates and deadline,
 * the period's end, the notice date and the renegotiation date. Dates that are not valid ISO dates are
 * left out (the validator already flags them in the draft); the same goal's duplicate follow-up date once.
 */
export function keyDates(goals: readonly GoalRow[], period: PeriodSnapshot): KeyDate[] {
  const out: KeyDate[] = [];
  for (const g of goals) {
    for (const date of new Set(g.followUpDates)) if (isIsoDate(date)) out.push({ kind: 'follow-up', date, goalId: g.id });
    if (isIsoDate(g.deadline)) out.push({ kind: 'goal-deadline', date: g.deadline, goalId: g.id });
  }
  if (isIsoDate(period.end)) out.push({ kind: 'period-end', date: period.end });
  const notice = noticeDate(period);
  if (notice) out.push({ kind: 'notice', date: notice });
  if (isIsoDate(period.renegotiationBy)) out.push({ kind: 'renegotiation', date: period.renegotiationBy });
  const goalOrder = new Map(goals.map((g, i) => [g.id, i]));
  return out.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      ORDER[a.kind] - ORDER[b.kind] ||
      (goalOrder.get(a.goalId ?? '') ?? -1) - (goalOrder.get(b.goalId ?? '') ?? -1),
  );
}
