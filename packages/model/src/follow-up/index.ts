export { addDays, subtractMonths, daysBetween } from './dates.ts';
export * from './number.ts';
export * from './key-dates.ts';
export * from './status.ts';
export * from './findings.ts';
export * from './labels.ts';
