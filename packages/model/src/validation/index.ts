export * from './types.ts';
export { RULES } from './registry.ts';
export { validateAgreement, summarize } from './validate.ts';
export { sectionHasContent, isIsoDate, addMonths } from './util.ts';
export { ruleContext, runRule } from './context.ts';
