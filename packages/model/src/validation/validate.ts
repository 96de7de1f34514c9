import type { AgreementSnapshot, Finding, Severity, Template, ValidationResult, ValidationSummary } from '../types.ts';
import { RULES } from './registry.ts';
import { ruleContext } from './context.ts';
import type { ValidationOptions } from './types.ts';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function summarize(findings: readonly Finding[]): ValidationSummary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let signingOnlyErrors = 0;
  for (const f of findings) {
    if (f.severity === 'error') {
      errors++;
      if (f.signingOnly) signingOnlyErrors++;
    } else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { readyToSign: errors === 0, errors, warnings, infos, signingOnlyErrors };
}

/**
 * Validates an agreement against its template. Pure and synchronous; cheap enough for every keystroke.
 * Findings are sorted errors first, then warnings, then infos (rule order within a severity).
 */
export function validateAgreement(snapshot: AgreementSnapshot, template: Template, options: ValidationOptions = {}): ValidationResult {
  const ctx = ruleContext(snapshot, template, options);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (options.rules && !options.rules.includes(rule.id)) continue;
    for (const f of rule.run(ctx)) findings.push(f);
  }
  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return { findings, summary: summarize(findings) };
}
