import type { Finding, GoalRow } from '../../types.ts';
import type { Rule } from '../types.ts';
import { goalLabel, isIsoDate } from '../util.ts';

type Column = keyof GoalRow;

/** The SMART columns: an empty one is an error. */
const REQUIRED: ReadonlyArray<{ column: Column; sv: string; en: string; date?: boolean }> = [
  { column: 'goal', sv: 'måltext (vad ska uppnås?)', en: 'goal text (what is to be achieved?)' },
  { column: 'indicator', sv: 'indikator (hur mäts det?)', en: 'indicator (how is it measured?)' },
  { column: 'baselineValue', sv: 'utgångsvärde', en: 'baseline value' },
  { column: 'baselineDate', sv: 'datum för utgångsvärdet', en: 'baseline date', date: true },
  { column: 'targetValue', sv: 'målvärde', en: 'target value' },
  { column: 'deadline', sv: 'tidsgräns', en: 'deadline', date: true },
];

function isEmpty(row: GoalRow, column: Column): boolean {
  const v = row[column];
  return v === null || (typeof v === 'string' && v.trim() === '');
}

/** Every goal row is SMART-complete; follow-up method, responsible party and baseline source are warnings. */
export const goalSmartRule: Rule = {
  id: 'goal_smart',
  description: 'Every goal row has goal text, indicator, baseline with date, target and deadline (errors); valid dates; follow-up details (warnings).',
  run({ snapshot, partyById }) {
    const findings: Finding[] = [];
    snapshot.goals.forEach((row, index) => {
      const label = goalLabel(row, index);
      for (const col of REQUIRED) {
        const value = row[col.column];
        if (isEmpty(row, col.column)) {
          findings.push({
            ruleId: 'goal_incomplete',
            severity: 'error',
            target: { kind: 'goal', rowId: row.id, column: col.column },
            message: {
              sv: `${label.sv} saknar ${col.sv}.`,
              en: `${label.en} has no ${col.en}.`,
            },
          });
        } else if (col.date && !isIsoDate(value as string)) {
          findings.push({
            ruleId: 'goal_invalid_date',
            severity: 'error',
            target: { kind: 'goal', rowId: row.id, column: col.column },
            message: {
              sv: `${label.sv}: ${col.sv} ”${String(value)}” är inget giltigt datum (ÅÅÅÅ-MM-DD).`,
              en: `${label.en}: ${col.en} "${String(value)}" is not a valid date (YYYY-MM-DD).`,
            },
          });
        }
      }
      if (isIsoDate(row.baselineDate) && isIsoDate(row.deadline) && row.baselineDate >= row.deadline) {
        findings.push({
          ruleId: 'goal_baseline_after_deadline',
          severity: 'error',
          target: { kind: 'goal', rowId: row.id, column: 'baselineDate' },
          message: {
            sv: `${label.sv}: utgångsvärdets datum (${row.baselineDate}) ligger inte före tidsgränsen (${row.deadline}).`,
            en: `${label.en}: the baseline date (${row.baselineDate}) is not before the deadline (${row.deadline}).`,
          },
        });
      }
      if (row.responsiblePartyId !== null && !partyById.has(row.responsiblePartyId)) {
        findings.push({
          ruleId: 'goal_unknown_party',
          severity: 'error',
          target: { kind: 'goal', rowId: row.id, column: 'responsiblePartyId' },
          message: {
            sv: `${label.sv}: den ansvariga parten är inte längre part i överenskommelsen. Välj en ansvarig part.`,
            en: `${label.en}: the responsible party is no longer a party to the agreement. Choose a responsible party.`,
          },
        });
      }
      const missing: Array<{ column: Column; sv: string; en: string }> = [];
      if (row.followUpMethod === null) missing.push({ column: 'followUpMethod', sv: 'uppföljningsmetod', en: 'follow-up method' });
      if (row.responsiblePartyId === null) missing.push({ column: 'responsiblePartyId', sv: 'ansvarig part', en: 'responsible party' });
      if (row.baselineSource.trim() === '') missing.push({ column: 'baselineSource', sv: 'källa för utgångsvärdet', en: 'baseline source' });
      if (row.followUpDates.length === 0) missing.push({ column: 'followUpDates', sv: 'uppföljningsdatum', en: 'follow-up dates' });
      for (const m of missing) {
        findings.push({
          ruleId: 'goal_follow_up_incomplete',
          severity: 'warning',
          target: { kind: 'goal', rowId: row.id, column: m.column },
          message: { sv: `${label.sv} saknar ${m.sv}.`, en: `${label.en} has no ${m.en}.` },
        });
      }
    });
    return findings;
  },
};
