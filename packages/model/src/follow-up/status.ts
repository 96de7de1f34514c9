import type { GoalRow } from '../types.ts';
import { daysBetween } from './dates.ts';
import { parseGoalNumber } from './number.ts';

export type GoalStatus = 'reached' | 'on-track' | 'behind' | 'no-data';

/** A measurement as the rules see it. */
export interface MeasurementPoint {
  goalId: string;
  value: number;
  measuredOn: string;
}

/**
 * A goal's status on `asOf` (the rule, also in README.md):
 * - `no-data`: no measurement on or before `asOf`, or the target is not a number.
 * - The latest measurement (by date) counts. The goal's direction is up when the target is at least
 *   the baseline (no numeric baseline: up), else down.
 * - `reached`: the latest value is at or beyond the target in the goal's direction.
 * - `behind`: the deadline has passed (`asOf` after it) without reaching the target, or the value is
 *   short of the straight line from baseline (at the baseline date) to target (at the deadline) on the
 *   measurement's date. Without a baseline number or either date there is no line: a value that has
 *   moved back past the baseline is `behind`.
 * - `on-track`: otherwise.
 */
export function goalStatus(goal: GoalRow, measurements: readonly MeasurementPoint[], asOf: string): GoalStatus {
  const target = parseGoalNumber(goal.targetValue);
  const points = measurements.filter((m) => m.goalId === goal.id && m.measuredOn <= asOf);
  if (target == null || points.length === 0) return 'no-data';
  const latest = points.reduce((a, b) => (b.measuredOn >= a.measuredOn ? b : a));
  const baseline = parseGoalNumber(goal.baselineValue);
  const sign = baseline == null || target >= baseline ? 1 : -1;
  // Progress in the goal's direction: larger is better.
  const ahead = (value: number, than: number) => sign * (value - than) >= 0;
  if (ahead(latest.value, target)) return 'reached';
  if (goal.deadline && asOf > goal.deadline) return 'behind';
  if (baseline == null) return 'on-track';
  if (goal.baselineDate && goal.deadline && goal.deadline > goal.baselineDate) {
    const span = daysBetween(goal.baselineDate, goal.deadline);
    const elapsed = Math.min(span, Math.max(0, daysBetween(goal.baselineDate, latest.measuredOn)));
    const expected = baseline + ((target - baseline) * elapsed) / span;
    // A tolerance of a millionth of the span keeps rounding from calling an exact hit behind.
    const tolerance = Math.abs(target - baseline) * 1e-6;
    return sign * (latest.value - expected) >= -tolerance ? 'on-track' : 'behind';
  }
  return ahead(latest.value, baseline) ? 'on-track' : 'behind';
}
