import type { Finding } from '../../types.ts';
import type { Rule } from '../types.ts';
import { isIsoDate, partyLabel } from '../util.ts';

const KIND_SV = {
  money: 'pengar',
  staff_time: 'personaltid',
  premises: 'lokaler',
  volunteer_work: 'ideellt arbete',
  expertise: 'kompetens',
  other: 'övrigt',
} as const;

/** Every party contributes; rows are attributable and money rows have an amount. */
export const contributionsRule: Rule = {
  id: 'contributions',
  description: 'Every party contributes at least one item; each row has a party and a description; money rows have a value; row periods are inside the agreement period (warning).',
  run({ snapshot, partyById }) {
    const findings: Finding[] = [];
    for (const party of snapshot.parties) {
      if (!snapshot.contributions.some((c) => c.partyId === party.id)) {
        const name = partyLabel(party);
        findings.push({
          ruleId: 'party_contribution_missing',
          severity: 'error',
          target: { kind: 'party', partyId: party.id, field: 'contributions' },
          message: {
            sv: `${name} bidrar inte med något i insatstabellen. I ett IOP bidrar båda parter: lägg till pengar, personaltid, lokaler, ideellt arbete eller annat.`,
            en: `${name} contributes nothing in the contributions table. In an IOP both parties contribute: add money, staff time, premises, volunteer work or other.`,
          },
        });
      }
    }
    const { start, end } = snapshot.period;
    snapshot.contributions.forEach((row, index) => {
      const n = index + 1;
      const owner = row.partyId ? partyById.get(row.partyId) : undefined;
      const rowSv = `Insats ${n}${row.description.trim() ? ` (”${row.description.trim().slice(0, 40)}”)` : ''}`;
      const rowEn = `Contribution ${n}${row.description.trim() ? ` ("${row.description.trim().slice(0, 40)}")` : ''}`;
      if (!owner) {
        findings.push({
          ruleId: 'contribution_incomplete',
          severity: 'error',
          target: { kind: 'contribution', rowId: row.id, column: 'partyId' },
          message: { sv: `${rowSv} saknar part. Ange vilken part som bidrar.`, en: `${rowEn} has no party. Choose which party contributes.` },
        });
      }
      if (row.description.trim() === '') {
        findings.push({
          ruleId: 'contribution_incomplete',
          severity: 'error',
          target: { kind: 'contribution', rowId: row.id, column: 'description' },
          message: {
            sv: `${rowSv} (${KIND_SV[row.kind]}) saknar beskrivning.`,
            en: `${rowEn} (${row.kind.replace('_', ' ')}) has no description.`,
          },
        });
      }
      if (row.kind === 'money' && (row.valueSek === null || row.valueSek <= 0)) {
        findings.push({
          ruleId: 'contribution_incomplete',
          severity: 'error',
          target: { kind: 'contribution', rowId: row.id, column: 'valueSek' },
          message: {
            sv: `${rowSv} är pengar men saknar belopp i kronor.`,
            en: `${rowEn} is money but has no amount in SEK.`,
          },
        });
      }
      if (isIsoDate(start) && isIsoDate(end)) {
        const outside =
          (isIsoDate(row.periodStart) && (row.periodStart < start || row.periodStart > end)) ||
          (isIsoDate(row.periodEnd) && (row.periodEnd < start || row.periodEnd > end));
        if (outside) {
          findings.push({
            ruleId: 'contribution_period_outside',
            severity: 'warning',
            target: { kind: 'contribution', rowId: row.id, column: 'periodStart' },
            message: {
              sv: `${rowSv} gäller en tid utanför partnerskapets period (${start} – ${end}).`,
              en: `${rowEn} covers a time outside the partnership period (${start} – ${end}).`,
            },
          });
        }
      }
    });
    return findings;
  },
};
