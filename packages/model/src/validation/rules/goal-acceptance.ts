import type { Finding } from '../../types.ts';
import type { Rule } from '../types.ts';
import { goalLabel, listEn, listSv, partyLabel } from '../util.ts';

/** Every goal is accepted by every party (blocks signing only). */
export const goalAcceptanceRule: Rule = {
  id: 'goal_not_accepted',
  description: 'Every goal row is accepted by every party (error, signing only).',
  run({ snapshot }) {
    const findings: Finding[] = [];
    snapshot.goals.forEach((row, index) => {
      const missing = snapshot.parties.filter((p) => row.acceptedBy[p.id] !== true).map(partyLabel);
      if (missing.length === 0) return;
      const label = goalLabel(row, index);
      findings.push({
        ruleId: 'goal_not_accepted',
        severity: 'error',
        signingOnly: true,
        target: { kind: 'goal', rowId: row.id, column: 'acceptedBy' },
        message: {
          sv: `${label.sv} är inte godkänt av ${listSv(missing)}. Alla parter måste godkänna målet före underskrift.`,
          en: `${label.en} is not accepted by ${listEn(missing)}. Every party must accept the goal before signing.`,
        },
      });
    });
    return findings;
  },
};
