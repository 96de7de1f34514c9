import type { AgreementSnapshot, Finding, PartySnapshot, Template } from '../types.ts';

export interface ValidationOptions {
  /** Direct-procurement threshold in SEK (LOU, since 2022-02-01: 700 000 kr). */
  publicMoneyThresholdSek?: number;
  /** Run only these rule ids (default: all). */
  rules?: readonly string[];
}

export const DEFAULT_PUBLIC_MONEY_THRESHOLD_SEK = 700_000;

export interface RuleContext {
  snapshot: AgreementSnapshot;
  template: Template;
  options: Required<Pick<ValidationOptions, 'publicMoneyThresholdSek'>>;
  partyById: Map<string, PartySnapshot>;
}

export interface Rule {
  /** Stable id, also the `ruleId` of the findings it produces (some rules produce several ids: `id` + suffix). */
  id: string;
  description: string;
  run(ctx: RuleContext): Finding[];
}
