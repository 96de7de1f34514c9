export * from './types.ts';
export * from './templates/index.ts';
export * from './diff/redline.ts';
