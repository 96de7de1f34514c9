import { checklistAnswersRule } from './rules/checklist-answers.ts';
import { checklistNoMarketRule } from './rules/checklist-no-market.ts';
import { contributionsRule } from './rules/contributions.ts';
import { goalAcceptanceRule } from './rules/goal-acceptance.ts';
import { goalDatesRule } from './rules/goal-dates.ts';
import { goalSmartRule } from './rules/goal-smart.ts';
import { goalsPresentRule } from './rules/goals-present.ts';
import { partyContactsRule } from './rules/party-contacts.ts';
import { partyKindsRule } from './rules/party-kinds.ts';
import { partyOrgNumberRule } from './rules/party-org-number.ts';
import { partySignatoriesRule } from './rules/party-signatories.ts';
import { periodRule } from './rules/period.ts';
import { publicMoneyRule } from './rules/public-money.ts';
import { requiredSectionsRule } from './rules/required-sections.ts';
import { sectionOrderRule } from './rules/section-order.ts';
import type { Rule } from './types.ts';

/** Every validation rule, in the order findings are reported within a severity. */
export const RULES: readonly Rule[] = [
  requiredSectionsRule,
  sectionOrderRule,
  partyKindsRule,
  partyOrgNumberRule,
  partyContactsRule,
  partySignatoriesRule,
  goalsPresentRule,
  goalSmartRule,
  goalDatesRule,
  goalAcceptanceRule,
  contributionsRule,
  periodRule,
  checklistNoMarketRule,
  checklistAnswersRule,
  publicMoneyRule,
];
