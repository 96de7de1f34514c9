import { CHECKLIST_ITEMS } from '../../doc/checklist.ts';
import type { Finding } from '../../types.ts';
import type { Rule } from '../types.ts';

/** The other five suitability questions: unanswered is a warning; "no" gives an info finding. */
export const checklistAnswersRule: Rule = {
  id: 'checklist_unanswered',
  description: 'Suitability questions other than "no market" unanswered: warning; answered no: info.',
  run({ snapshot }) {
    const findings: Finding[] = [];
    for (const item of CHECKLIST_ITEMS) {
      if (item.key === 'no_market') continue;
      const answer = snapshot.checklist[item.key];
      if (!answer || answer.answer === null) {
        findings.push({
          ruleId: 'checklist_unanswered',
          severity: 'warning',
          target: { kind: 'checklist', key: item.key, field: 'answer' },
          message: {
            sv: `Lämplighetsfrågan ”${item.sv}” är obesvarad. Svara ja, nej eller osäker och motivera.`,
            en: `The suitability question "${item.en}" is unanswered. Answer yes, no or unsure and justify.`,
          },
        });
      } else if (answer.answer === 'no') {
        findings.push({
          ruleId: 'checklist_answered_no',
          severity: 'info',
          target: { kind: 'checklist', key: item.key, field: 'justification' },
          message: {
            sv: `Svaret nej på ”${item.sv}” talar mot IOP som form. Förklara i motiveringen varför IOP ändå är rätt val.`,
            en: `Answering no to "${item.en}" speaks against an IOP. Explain in the justification why an IOP is still the right choice.`,
          },
        });
      }
    }
    return findings;
  },
};
