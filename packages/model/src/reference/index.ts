export * from './csv.ts';
export * from './reference.ts';
