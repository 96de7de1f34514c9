export * from './standard.ts';
export * from './schema.ts';
