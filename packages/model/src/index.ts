export * from './types.ts';
export * from './templates/index.ts';
