import { PUBLIC_PARTY_KINDS } from '../../types.ts';
import type { Rule } from '../types.ts';
import { fmtSek, fmtSekEn, partyLabel } from '../util.ts';

/** Public money above the direct-procurement threshold: the choice of IOP over procurement must be justified. */
export const publicMoneyRule: Rule = {
  id: 'public_money_threshold',
  description: 'Money from public parties above the direct-procurement threshold (default 700 000 kr) gives an info finding.',
  run({ snapshot, options, partyById }) {
    let total = 0;
    const payers = new Set<string>();
    for (const row of snapshot.contributions) {
      if (row.kind !== 'money' || row.valueSek === null || row.partyId === null) continue;
      const party = partyById.get(row.partyId);
      if (!party || !PUBLIC_PARTY_KINDS.includes(party.kind)) continue;
      total += row.valueSek;
      payers.add(partyLabel(party));
    }
    const threshold = options.publicMoneyThresholdSek;
    if (total <= threshold) return [];
    const who = [...payers].join(', ');
    return [
      {
        ruleId: 'public_money_threshold',
        severity: 'info',
        target: { kind: 'section', sectionId: snapshot.sections.find((s) => s.key === 'form_and_premises')?.id ?? null, templateKey: 'form_and_premises' },
        message: {
          sv: `Offentliga medel från ${who} uppgår till ${fmtSek(total)}, över gränsen för direktupphandling (${fmtSek(threshold)}). Motivera i ”Om överenskommelsens form och utgångspunkter” varför IOP valts i stället för upphandling.`,
          en: `Public money from ${who} totals ${fmtSekEn(total)}, above the direct-procurement threshold (${fmtSekEn(threshold)}). Justify in "Om överenskommelsens form och utgångspunkter" why an IOP was chosen over procurement.`,
        },
      },
    ];
  },
};
