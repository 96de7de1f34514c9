export * from './id.ts';
export * from './rich.ts';
export * from './check.ts';
