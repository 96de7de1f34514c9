export * from './types.ts';
export * from './templates/index.ts';
export * from './doc/index.ts';
export * from './doc/restore.ts';
export * from './diff/redline.ts';
export * from './orgnumber.ts';
export * from './validation/index.ts';
export * from './fixtures/index.ts';
export * as fixtures from './fixtures/index.ts';
