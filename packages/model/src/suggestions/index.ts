export * from './id.ts';
export * from './rich.ts';
export * from './check.ts';
export * from './yjs.ts';
