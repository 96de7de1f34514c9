export * from './link-rule.ts';
export * from './unsafe-links.ts';
