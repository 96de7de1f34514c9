import type { Rule } from '../types.ts';

/** "No market or competition situation" answered yes, with a justification. */
export const checklistNoMarketRule: Rule = {
  id: 'checklist_no_market',
  description: '"No market or competition situation" must be answered yes with a justification (error).',
  run({ snapshot }) {
    const item = snapshot.checklist.no_market;
    if (item.answer !== 'yes') {
      const now =
        item.answer === null
          ? { sv: 'är obesvarad', en: 'is unanswered' }
          : item.answer === 'no'
            ? { sv: 'är besvarad med nej', en: 'is answered no' }
            : { sv: 'är besvarad med osäker', en: 'is answered unsure' };
      return [
        {
          ruleId: 'checklist_no_market',
          severity: 'error',
          target: { kind: 'checklist', key: 'no_market', field: 'answer' },
          message: {
            sv: `Lämplighetsfrågan ”Det finns ingen marknad eller konkurrenssituation att skydda” ${now.sv}. Ett IOP kräver att svaret är ja; finns en marknad ska verksamheten upphandlas.`,
            en: `The suitability question "There is no market or competition situation to protect" ${now.en}. An IOP requires yes; where there is a market the activity must be procured.`,
          },
        },
      ];
    }
    if (item.justification.trim() === '') {
      return [
        {
          ruleId: 'checklist_no_market',
          severity: 'error',
          target: { kind: 'checklist', key: 'no_market', field: 'justification' },
          message: {
            sv: 'Motivera varför det inte finns någon marknad eller konkurrenssituation (till exempel att ingen annan aktör erbjuder verksamheten).',
            en: 'Justify why there is no market or competition situation (for example, that no other provider offers the activity).',
          },
        },
      ];
    }
    return [];
  },
};
