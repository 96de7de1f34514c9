import type { Rule } from '../types.ts';

/** The goal table has at least one row. */
export const goalsPresentRule: Rule = {
  id: 'goals_missing',
  description: 'At least one goal in the goal table.',
  run({ snapshot }) {
    if (snapshot.goals.length > 0) return [];
    return [
      {
        ruleId: 'goals_missing',
        severity: 'error',
        target: { kind: 'agreement', field: 'goals' },
        message: {
          sv: 'Måltabellen är tom. Lägg till minst ett mål med indikator, utgångsvärde, målvärde och tidsgräns.',
          en: 'The goal table is empty. Add at least one goal with an indicator, baseline, target and deadline.',
        },
      },
    ];
  },
};
