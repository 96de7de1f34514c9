import type { AgreementSnapshot, Finding, Template } from '../types.ts';
import { DEFAULT_PUBLIC_MONEY_THRESHOLD_SEK, type Rule, type RuleContext, type ValidationOptions } from './types.ts';

/** Builds a rule context (also used by the rule unit tests to run a single rule). */
export function ruleContext(snapshot: AgreementSnapshot, template: Template, options: ValidationOptions = {}): RuleContext {
  return {
    snapshot,
    template,
    options: { publicMoneyThresholdSek: options.publicMoneyThresholdSek ?? DEFAULT_PUBLIC_MONEY_THRESHOLD_SEK },
    partyById: new Map(snapshot.parties.map((p) => [p.id, p])),
  };
}

export function runRule(rule: Rule, snapshot: AgreementSnapshot, template: Template, options: ValidationOptions = {}): Finding[] {
  return rule.run(ruleContext(snapshot, template, options));
}
