import type { Finding } from '../../types.ts';
import type { Rule } from '../types.ts';
import { goalLabel, isIsoDate } from '../util.ts';

/** Deadlines and follow-up dates lie inside the agreement period. */
export const goalDatesRule: Rule = {
  id: 'goal_date_outside_period',
  description: 'Goal deadlines and follow-up dates are inside the period (checked once the period is valid).',
  run({ snapshot }) {
    const { start, end } = snapshot.period;
    if (!isIsoDate(start) || !isIsoDate(end) || start >= end) return [];
    const findings: Finding[] = [];
    snapshot.goals.forEach((row, index) => {
      const label = goalLabel(row, index);
      if (isIsoDate(row.deadline) && (row.deadline < start || row.deadline > end)) {
        findings.push({
          ruleId: 'goal_date_outside_period',
          severity: 'error',
          target: { kind: 'goal', rowId: row.id, column: 'deadline' },
          message: {
            sv: `${label.sv}: tidsgränsen ${row.deadline} ligger utanför partnerskapets period (${start} – ${end}).`,
            en: `${label.en}: the deadline ${row.deadline} is outside the partnership period (${start} – ${end}).`,
          },
        });
      }
      const bad = row.followUpDates.filter((d) => !isIsoDate(d) || d < start || d > end);
      if (bad.length > 0) {
        findings.push({
          ruleId: 'goal_date_outside_period',
          severity: 'error',
          target: { kind: 'goal', rowId: row.id, column: 'followUpDates' },
          message: {
            sv: `${label.sv}: uppföljningsdatum ${bad.join(', ')} ligger utanför partnerskapets period (${start} – ${end}) eller är inget giltigt datum.`,
            en: `${label.en}: follow-up date(s) ${bad.join(', ')} are outside the partnership period (${start} – ${end}) or not valid dates.`,
          },
        });
      }
    });
    return findings;
  },
};
