export * from './types.ts';
export * from './templates/index.ts';
export * from './doc/index.ts';
export * from './doc/restore.ts';
export * from './diff/redline.ts';
